import { fileURLToPath } from "node:url";
import { defineConfig } from "vitest/config";
import { sourceResolution } from "../../vitest.source.ts";

// The REST contract through the gateway of an embedded stack started once for the whole suite.
export default defineConfig({
  ...sourceResolution,
  // Also when run alone (`vitest --config <this file>`), paths are relative to this package.
  root: fileURLToPath(new URL(".", import.meta.url)),
  test: {
    name: "e2e",
    include: ["src/**/*.test.ts"],
    exclude: ["src/**/*.distributed.test.ts"],
    globalSetup: ["./src/setup/embedded.ts"],
    testTimeout: 30_000,
    hookTimeout: 120_000,
    // One stack serves every file; running them one after another keeps timings predictable.
    fileParallelism: false,
  },
});
