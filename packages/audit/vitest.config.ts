import { defineConfig } from "vitest/config";

export default defineConfig({ test: { name: "audit", include: ["src/**/*.test.ts"] } });
