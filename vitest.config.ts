import { defineConfig } from "vitest/config";
import { sourceResolution } from "./vitest.source.ts";

// One project per package; `npm test` runs them all except the distributed e2e suite,
// which needs PostgreSQL and Kafka (`npm run test:e2e`).
export default defineConfig({
  // Also here: the projects' global setups (the e2e suite's stack) load through this root config.
  ...sourceResolution,
  test: {
    projects: ["packages/*/vitest.config.ts"],
  },
});
