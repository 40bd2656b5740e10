import { createInProcessBus } from "./in-process-bus.ts";
import { openTestDatabase } from "./test-fixtures/database.ts";
import { describeWakeUp } from "./test-fixtures/wake-up-suite.ts";

describeWakeUp("outbox relay wake-up on PGlite", {
  openDatabase: () => openTestDatabase(),
  openBus: async () => createInProcessBus(),
});
