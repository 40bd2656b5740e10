import { defineConfig } from "vitest/config";
import { sourceResolution } from "../../vitest.source.ts";

export default defineConfig({
  ...sourceResolution,
  // *.int.test.ts need an S3-compatible server: vitest.int.config.ts.
  test: { name: "audit", include: ["src/**/*.test.ts"], exclude: ["src/**/*.int.test.ts"] },
});
