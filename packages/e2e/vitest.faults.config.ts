import { fileURLToPath } from "node:url";
import { defineConfig } from "vitest/config";
import { sourceResolution } from "../../vitest.source.ts";

// `npm run test:faults`: the fault scenarios (issue 9), each file against a distributed stack of its
// own on the PostgreSQL and Kafka named by DATABASE_URL and KAFKA_BROKERS. PostgreSQL must be
// durable (INFRA_DURABLE=1 bash scripts/infra.sh up): the scenarios stop and start it and Kafka
// through scripts/infra.sh, so give them the same INFRA_* variables.
export default defineConfig({
  ...sourceResolution,
  root: fileURLToPath(new URL(".", import.meta.url)),
  test: {
    name: "faults",
    include: ["src/faults/**/*.fault.ts"],
    // The scenarios start processes and stop the shared database and broker: one at a time.
    pool: "forks",
    fileParallelism: false,
    testTimeout: 300_000,
    hookTimeout: 180_000,
  },
});
