// Portable kit: no node:* imports anywhere under this barrel (Node rim: ./node.ts).
export * from "./auth/index.ts";
export * from "./config/index.ts";
export * from "./db/index.ts";
export * from "./discovery/index.ts";
export * from "./errors/index.ts";
export * from "./events/index.ts";
export * from "./idempotency/index.ts";
export * from "./limits/index.ts";
export * from "./log/index.ts";
export * from "./paging/index.ts";
export * from "./runtime/index.ts";
export * from "./server/index.ts";
export * from "./service-identity/index.ts";
export * from "./telemetry/index.ts";
export * from "./tokens/index.ts";
