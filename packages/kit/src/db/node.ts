export { createPgliteConnector, type PgliteLocation } from "./pglite-connector.ts";
export { createPostgresConnector } from "./postgres-connector.ts";
