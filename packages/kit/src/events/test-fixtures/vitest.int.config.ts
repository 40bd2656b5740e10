import { fileURLToPath } from "node:url";
import { defineConfig } from "vitest/config";

// The kit's integration tests (real PostgreSQL + Kafka), which the default "kit" project excludes:
// TEST_DATABASE_URL=… TEST_KAFKA_BROKERS=… npx vitest run -c packages/kit/src/events/test-fixtures/vitest.int.config.ts
export default defineConfig({
  test: {
    name: "kit-int",
    root: fileURLToPath(new URL("../../..", import.meta.url)),
    include: ["src/**/*.int.test.ts"],
    fileParallelism: false,
  },
});
