import { defineConfig } from "vitest/config";
import { sourceResolution } from "../../vitest.source.ts";

export default defineConfig({
  ...sourceResolution,
  test: {
    name: "user-service",
    include: ["src/**/*.test.ts"],
    // Booting PGlite (WASM) takes seconds on a busy machine.
    hookTimeout: 60_000,
    testTimeout: 30_000,
    // Needs a real PostgreSQL (TEST_DATABASE_URL): run with `npm run test:int -w @instagram/user-service`.
    exclude: ["src/**/*.int.test.ts"],
  },
});
