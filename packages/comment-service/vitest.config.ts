import { defineConfig } from "vitest/config";

export default defineConfig({ test: { name: "comment-service", include: ["src/**/*.test.ts"] } });
