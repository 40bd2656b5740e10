import { defineConfig } from "vitest/config";
import { sourceResolution } from "../../vitest.source.ts";

// PGlite boots in about a second alone, but far slower on a busy machine: generous hook timeouts.
export default defineConfig({
  ...sourceResolution,
  test: {
    name: "auth-service",
    include: ["src/**/*.test.ts"],
    // Needs a real PostgreSQL (TEST_DATABASE_URL): run with `npm run test:int -w @instagram/auth-service`.
    exclude: ["src/**/*.int.test.ts"],
    hookTimeout: 120_000,
    testTimeout: 30_000,
  },
});
