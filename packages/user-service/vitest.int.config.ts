import { defineConfig } from "vitest/config";
import { sourceResolution } from "../../vitest.source.ts";

// The real-PostgreSQL tests (concurrency of the follow graph). Needs TEST_DATABASE_URL.
export default defineConfig({
  ...sourceResolution,
  test: {
    name: "user-service-int",
    include: ["src/**/*.int.test.ts"],
    testTimeout: 60_000,
    hookTimeout: 60_000,
  },
});
