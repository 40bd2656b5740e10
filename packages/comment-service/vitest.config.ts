import { defineConfig } from "vitest/config";
import { sourceResolution } from "../../vitest.source.ts";

export default defineConfig({
  ...sourceResolution,
  test: { name: "comment-service", include: ["src/**/*.test.ts"] },
});
