export { isUniqueViolation } from "./errors.ts";
export { newId } from "./ids.ts";
export { type InboxTable, inboxTable } from "./inbox-table.ts";
export { migrate } from "./migrate.ts";
export { type OutboxTable, outboxTable } from "./outbox-table.ts";
export type { Database, DatabaseConnector, DatabaseHandle, Executor, Transaction } from "./types.ts";
