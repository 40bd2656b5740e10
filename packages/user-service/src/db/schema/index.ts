import { eventTables } from "@instagram/kit";
import { usersSchema } from "./users-schema.ts";

export { USERS_SCHEMA, usersSchema } from "./users-schema.ts";
export const { outbox, inbox } = eventTables(usersSchema);
export * from "./follows.ts";
export * from "./owned-images.ts";
export * from "./profiles.ts";
