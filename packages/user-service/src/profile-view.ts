import type { Executor } from "@instagram/kit";
import { followedBy } from "./db/follows.ts";
import type { ProfileRow } from "./db/schema/index.ts";

/** A profile as one caller sees it. */
export interface ProfileView extends ProfileRow {
  followedByMe: boolean;
}

/** Adds followedByMe to a list of profiles with one query for the whole list. */
export async function viewProfiles(
  db: Executor,
  callerId: string | undefined,
  rows: ProfileRow[],
): Promise<ProfileView[]> {
  const followed = await followedBy(
    db,
    callerId,
    rows.map((r) => r.id),
  );
  return rows.map((r) => ({ ...r, followedByMe: followed.has(r.id) }));
}
