import { defineConfig } from "vitest/config";
import { sourceResolution } from "../../vitest.source.ts";

export default defineConfig({
  ...sourceResolution,
  test: { name: "bench", include: ["src/**/*.test.ts"] },
});
