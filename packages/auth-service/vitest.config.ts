import { defineConfig } from "vitest/config";

// PGlite boots in about a second alone, but far slower on a busy machine: generous hook timeouts.
export default defineConfig({
  test: { name: "auth-service", include: ["src/**/*.test.ts"], hookTimeout: 120_000, testTimeout: 30_000 },
});
