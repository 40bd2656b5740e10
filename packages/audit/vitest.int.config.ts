import { defineConfig } from "vitest/config";
import { sourceResolution } from "../../vitest.source.ts";

// The audit of image files in a bucket, on a real S3-compatible server (SeaweedFS). Needs
// TEST_S3_ENDPOINT, TEST_S3_ACCESS_KEY_ID and TEST_S3_SECRET_ACCESS_KEY.
export default defineConfig({
  ...sourceResolution,
  test: {
    name: "audit-int",
    include: ["src/**/*.int.test.ts"],
    testTimeout: 60_000,
    hookTimeout: 120_000,
  },
});
