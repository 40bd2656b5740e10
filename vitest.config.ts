import { defineConfig } from "vitest/config";

// One project per package; `npm test` runs them all except the distributed e2e suite,
// which needs PostgreSQL and Kafka (`npm run test:e2e`).
export default defineConfig({
  test: {
    projects: ["packages/*/vitest.config.ts"],
  },
});
