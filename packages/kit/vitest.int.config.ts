import { fileURLToPath } from "node:url";
import { defineConfig } from "vitest/config";
import { sourceResolution } from "../../vitest.source.ts";

// The kit's integration tests against real PostgreSQL + Kafka (TEST_DATABASE_URL, TEST_KAFKA_BROKERS);
// the default "kit" project excludes them. .ci/run runs them after `scripts/infra.sh up`.
export default defineConfig({
  ...sourceResolution,
  test: {
    name: "kit-int",
    root: fileURLToPath(new URL(".", import.meta.url)),
    include: ["src/**/*.int.test.ts"],
    fileParallelism: false,
    testTimeout: 60_000,
    hookTimeout: 60_000,
  },
});
