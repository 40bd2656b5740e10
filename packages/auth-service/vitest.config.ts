import { defineConfig } from "vitest/config";
import { sourceResolution } from "../../vitest.source.ts";

// PGlite boots in about a second alone, but far slower on a busy machine: generous hook timeouts.
export default defineConfig({
  ...sourceResolution,
  test: { name: "auth-service", include: ["src/**/*.test.ts"], hookTimeout: 120_000, testTimeout: 30_000 },
});
