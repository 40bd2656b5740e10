import { timestampDate } from "@bufbuild/protobuf/wkt";
import { type EventHandler, isUuid, type Outbox } from "@instagram/kit";
import { createProfile, removeUser } from "../use-cases/accounts.ts";

/** accounts.CREATED → the account's profile, then users.CREATED (once, however often it arrives). */
export function onAccountCreated(outbox: Outbox): EventHandler<"accounts", "CREATED"> {
  return async (tx, account, event) => {
    if (!isUuid(account.accountId) || account.username === "") {
      throw new Error(`accounts.CREATED ${event.id} has no valid account id or username`);
    }
    const createdAt = account.createdAt ? timestampDate(account.createdAt) : event.occurredAt;
    await createProfile(tx, outbox, { id: account.accountId, username: account.username, createdAt });
  };
}

/** accounts.DELETED → the profile, its edges and their counters on the other side go; users.DELETED. */
export function onAccountDeleted(outbox: Outbox): EventHandler<"accounts", "DELETED"> {
  return async (tx, account, event) => {
    if (!isUuid(account.accountId)) throw new Error(`accounts.DELETED ${event.id} has no valid account id`);
    await removeUser(tx, outbox, { id: account.accountId, username: account.username });
  };
}
