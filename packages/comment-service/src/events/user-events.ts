import { type EventHandler, isUuid, type Outbox } from "@instagram/kit";
import { authorNamed, removeUserComments } from "../use-cases/authors.ts";

/** users.CREATED / UPDATED → the username shown on the user's comments. */
export const onUserNamed: EventHandler<"users", "CREATED" | "UPDATED"> = async (tx, user) => {
  if (!isUuid(user.userId) || user.username === "") return;
  await authorNamed(tx, user.userId, user.username);
};

/** users.DELETED → nothing of the user stays here (see removeUserComments). */
export function onUserDeleted(opts: { outbox: Outbox; now: () => Date }): EventHandler<"users", "DELETED"> {
  return async (tx, user) => {
    if (!isUuid(user.userId)) return;
    await removeUserComments(tx, opts.outbox, user.userId, opts.now());
  };
}
