import { timestampFromDate } from "@bufbuild/protobuf/wkt";
import type { Outbox, Transaction } from "@instagram/kit";
import { removeEdgesOf } from "../db/follows.ts";
import { countImagesOf, forgetImagesOf } from "../db/owned-images.ts";
import { deleteProfile, findProfileByUsername, insertProfile, lockProfile } from "../db/profiles.ts";

// What the accounts topic does to profiles, each in the transaction of its event.

/**
 * A new account's profile: its id and username, empty name and bio, zero follow counters, and
 * users.CREATED. A repeat (same account, another event id) changes nothing and publishes nothing.
 */
export async function createProfile(
  tx: Transaction,
  outbox: Outbox,
  account: { id: string; username: string; createdAt: Date },
): Promise<void> {
  // Usernames are unique in auth-service, so a profile holding this one under another id
  // belongs to a deleted account whose accounts.DELETED has not arrived yet (another key,
  // no order between them): remove it now; that DELETED will find nothing left.
  const holder = await findProfileByUsername(tx, account.username.toLowerCase());
  if (holder !== undefined && holder.id !== account.id) await removeUser(tx, outbox, holder);
  const profile = await insertProfile(tx, {
    id: account.id,
    username: account.username,
    createdAt: account.createdAt,
    imagesCount: await countImagesOf(tx, account.id),
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
}

/**
 * Removes everything user-service holds of a user — profile, follow edges in both directions
 * (taking each off the counter of the person on the other side), image ownership — and
 * publishes users.DELETED. No per-edge users.UNFOLLOWED is published: consumers treat
 * users.DELETED as removing every edge of that user.
 *
 * The profile row is locked first: a Follow in flight holds a key-share lock on it (its foreign
 * key check), so this waits for it to commit and then sees its edge; a later Follow waits for
 * this transaction and then fails its foreign key check (NotFound). No edge escapes the count.
 */
export async function removeUser(
  tx: Transaction,
  outbox: Outbox,
  user: { id: string; username: string },
): Promise<void> {
  const profile = await lockProfile(tx, user.id);
  if (profile !== undefined) {
    await removeEdgesOf(tx, user.id);
    await deleteProfile(tx, user.id);
  }
  await forgetImagesOf(tx, user.id);
  await outbox.publish(tx, {
    topic: "users",
    type: "DELETED",
    aggregateId: user.id,
    payload: { userId: user.id, username: profile?.username ?? user.username },
  });
}
