import { defineConfig } from "vitest/config";
import { sourceResolution } from "../../vitest.source.ts";

// The real-PostgreSQL tests (two replicas sharing the login lockout). Needs TEST_DATABASE_URL.
export default defineConfig({
  ...sourceResolution,
  test: {
    name: "auth-service-int",
    include: ["src/**/*.int.test.ts"],
    testTimeout: 60_000,
    hookTimeout: 60_000,
  },
});
