import { defineConfig } from "vitest/config";
import { sourceResolution } from "../../vitest.source.ts";

// PGlite (WASM Postgres) takes seconds to boot on a busy machine: generous hook timeouts.
export default defineConfig({
  ...sourceResolution,
  test: {
    name: "image-service",
    include: ["src/**/*.test.ts"],
    // Needs a real S3-compatible server: vitest.int.config.ts.
    exclude: ["src/**/*.int.test.ts"],
    hookTimeout: 120_000,
    testTimeout: 30_000,
  },
});
