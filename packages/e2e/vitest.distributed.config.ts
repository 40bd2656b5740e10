import { fileURLToPath } from "node:url";
import { defineConfig } from "vitest/config";
import { sourceResolution } from "../../vitest.source.ts";

// The same tests, plus fault tests, against separate processes on real PostgreSQL and Kafka:
// `npm run test:e2e` (needs DATABASE_URL and KAFKA_BROKERS; fails without them, never skips).
export default defineConfig({
  ...sourceResolution,
  // Also when run alone (`vitest --config <this file>`), paths are relative to this package.
  root: fileURLToPath(new URL(".", import.meta.url)),
  test: {
    name: "e2e-distributed",
    include: ["src/**/*.test.ts"],
    // The object-store tests need image files in S3 (BLOB_STORE=s3, see scripts/seaweedfs.sh).
    exclude: process.env.BLOB_STORE === "s3" ? [] : ["src/**/s3-*.distributed.test.ts"],
    globalSetup: ["./src/setup/distributed.ts"],
    testTimeout: 30_000,
    hookTimeout: 120_000,
    // Fault tests stop services of the shared stack: nothing may run beside them.
    fileParallelism: false,
  },
});
