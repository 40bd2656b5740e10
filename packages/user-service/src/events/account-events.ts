import { timestampDate, timestampFromDate } from "@bufbuild/protobuf/wkt";
import { type EventHandler, isUuid, type Outbox } from "@instagram/kit";
import { countImagesOf } from "../db/owned-images.ts";
import { findProfileByUsername, insertProfile } from "../db/profiles.ts";
import { removeUser } from "./remove-user.ts";

/**
 * accounts.CREATED → a profile with the account's id and username (empty name and bio, zero
 * follow counters), then users.CREATED. A repeat (same account, another event id) changes
 * nothing and publishes nothing.
 */
export function onAccountCreated(outbox: Outbox): EventHandler<"accounts", "CREATED"> {
  return async (tx, account, event) => {
    if (!isUuid(account.accountId) || account.username === "") {
      throw new Error(`accounts.CREATED ${event.id} has no valid account id or username`);
    }
    // Usernames are unique in auth-service, so a profile holding this one under another id
    // belongs to a deleted account whose accounts.DELETED has not arrived yet (another key,
    // no order between them): remove it now; that DELETED will find nothing left.
    const holder = await findProfileByUsername(tx, account.username.toLowerCase());
    if (holder !== undefined && holder.id !== account.accountId) await removeUser(tx, outbox, holder);

    const createdAt = account.createdAt ? timestampDate(account.createdAt) : event.occurredAt;
    const profile = await insertProfile(tx, {
      id: account.accountId,
      username: account.username,
      createdAt,
      imagesCount: await countImagesOf(tx, account.accountId),
    });
    if (profile === undefined) return;
    await outbox.publish(tx, {
      topic: "users",
      type: "CREATED",
      aggregateId: profile.id,
      payload: {
        userId: profile.id,
        username: profile.username,
        createdAt: timestampFromDate(profile.createdAt),
      },
    });
  };
}

/** accounts.DELETED → the profile, its edges and their counters on the other side go; users.DELETED. */
export function onAccountDeleted(outbox: Outbox): EventHandler<"accounts", "DELETED"> {
  return async (tx, account, event) => {
    if (!isUuid(account.accountId)) throw new Error(`accounts.DELETED ${event.id} has no valid account id`);
    await removeUser(tx, outbox, { id: account.accountId, username: account.username });
  };
}
