import type { Outbox, Transaction } from "@instagram/kit";
import { removeEdgesOf } from "../db/follows.ts";
import { forgetImagesOf } from "../db/owned-images.ts";
import { deleteProfile, lockProfile } from "../db/profiles.ts";

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
