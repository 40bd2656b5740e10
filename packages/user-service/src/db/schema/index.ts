import { inboxTable, outboxTable } from "@instagram/kit";
import { usersSchema } from "./users-schema.ts";

export { USERS_SCHEMA, usersSchema } from "./users-schema.ts";
export const outbox = outboxTable(usersSchema);
export const inbox = inboxTable(usersSchema);
export * from "./follows.ts";
export * from "./owned-images.ts";
export * from "./profiles.ts";
