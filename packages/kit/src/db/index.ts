export { isForeignKeyViolation, isUniqueViolation, sqlStateOf } from "./errors.ts";
export { isUuid, newId } from "./ids.ts";
export { type InboxTable, inboxTable } from "./inbox-table.ts";
export { migrate } from "./migrate.ts";
export { type OutboxTable, outboxTable } from "./outbox-table.ts";
export { rowsOf } from "./rows.ts";
export { inTransaction } from "./transaction.ts";
export type { Database, DatabaseConnector, DatabaseHandle, Executor, Transaction } from "./types.ts";
