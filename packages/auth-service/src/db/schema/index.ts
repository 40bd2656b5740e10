import { inboxTable, outboxTable } from "@instagram/kit";
import { authSchema } from "./auth-schema.ts";

export { authSchema };
export const outbox = outboxTable(authSchema);
export const inbox = inboxTable(authSchema);
export * from "./accounts.ts";
export * from "./refresh-tokens.ts";
export * from "./sessions.ts";
