import { defineConfig } from "vitest/config";
import { sourceResolution } from "../../vitest.source.ts";

export default defineConfig({
  ...sourceResolution,
  test: {
    name: "kit",
    include: ["src/**/*.test.ts"],
    exclude: ["src/**/*.int.test.ts"],
  },
});
