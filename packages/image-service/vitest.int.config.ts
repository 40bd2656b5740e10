import { defineConfig } from "vitest/config";
import { sourceResolution } from "../../vitest.source.ts";

// The blob store on a real S3-compatible server (SeaweedFS). Needs TEST_S3_ENDPOINT,
// TEST_S3_ACCESS_KEY_ID and TEST_S3_SECRET_ACCESS_KEY; the weed binary built (scripts/seaweedfs.sh).
export default defineConfig({
  ...sourceResolution,
  test: {
    name: "image-service-int",
    include: ["src/**/*.int.test.ts"],
    testTimeout: 60_000,
    hookTimeout: 180_000,
  },
});
