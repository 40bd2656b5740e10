import { eventTables } from "@instagram/kit";
import { authSchema } from "./auth-schema.ts";

export { authSchema };
export const { outbox, inbox } = eventTables(authSchema);
export * from "./accounts.ts";
export * from "./login-failures.ts";
export * from "./refresh-tokens.ts";
export * from "./sessions.ts";
