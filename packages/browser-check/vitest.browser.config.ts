import { fileURLToPath } from "node:url";
import { defineConfig } from "vitest/config";
import { sourceResolution } from "../../vitest.source.ts";

// A real Chromium against a running stack: scripts/browser-check.sh starts the stack and runs this.
// Not a project of the root config: `npm test` has no browser.
export default defineConfig({
  ...sourceResolution,
  root: fileURLToPath(new URL(".", import.meta.url)),
  test: {
    name: "browser",
    include: ["src/**/*.browser.test.ts"],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    fileParallelism: false,
  },
});
