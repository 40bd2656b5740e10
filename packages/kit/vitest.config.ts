import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    name: "kit",
    include: ["src/**/*.test.ts"],
    exclude: ["src/**/*.int.test.ts"],
  },
});
