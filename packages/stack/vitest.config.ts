import { defineConfig } from "vitest/config";

export default defineConfig({ test: { name: "stack", include: ["src/**/*.test.ts"] } });
