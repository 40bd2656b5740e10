import type { Executor } from "@instagram/kit";
import { holdOwner, rememberUsername } from "../db/owners.ts";
import { accountGone } from "../domain/errors.ts";

/**
 * Before a user adds anything (an image, a like): refuse a user already seen deleted, and hold a
 * share lock on their owners row until commit, so the users.DELETED handler (which updates that
 * row first) either runs wholly before — and we refuse — or wholly after, and removes what we add.
 */
export async function holdActiveUser(
  tx: Executor,
  userId: string,
): Promise<{ username: string; fanOutStoppedAt: Date | null }> {
  const row = await holdOwner(tx, userId);
  if (row === undefined || row.deletedAt !== null) throw accountGone();
  return { username: row.username, fanOutStoppedAt: row.fanOutStoppedAt };
}

/** users.CREATED / UPDATED: the owners read model remembers the name (usernames on Image views). */
export async function ownerNamed(tx: Executor, userId: string, username: string): Promise<void> {
  await rememberUsername(tx, userId, username);
}
