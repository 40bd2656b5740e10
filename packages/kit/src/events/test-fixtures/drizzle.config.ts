import { defineConfig } from "drizzle-kit";

export default defineConfig({
  dialect: "postgresql",
  schema: "./src/events/test-fixtures/schema.ts",
  out: "./src/events/test-fixtures/migrations",
  schemaFilter: ["kit_test"],
});
