import { createInProcessBus } from "./in-process-bus.ts";
import { openTestDatabase } from "./test-fixtures/database.ts";
import { describePipeline } from "./test-fixtures/pipeline-suite.ts";

describePipeline("events pipeline on PGlite and the in-process bus", {
  openDatabase: () => openTestDatabase(),
  openBus: async () => createInProcessBus(),
  deliveryTimeoutMs: 5_000,
});
