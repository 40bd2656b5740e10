import { type Database, type Executor, isUuid } from "@instagram/kit";
import { eq, getTableColumns, sql } from "drizzle-orm";
import { followedBy } from "./follows.ts";
import { usernameKeyColumn } from "./profiles.ts";
import { follows, type ProfileRow, profiles } from "./schema/index.ts";

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

/** A profile and whether the caller follows it, read in one prepared statement. */
export interface ProfileViews {
  /** `key` is a lower-cased username. */
  byUsername(callerId: string | undefined, key: string): Promise<ProfileView | undefined>;
  byId(callerId: string | undefined, id: string): Promise<ProfileView | undefined>;
}

/**
 * The hot reads of one profile as prepared statements: the SQL is built once, and each read is one
 * round trip (the unique username index or the primary key, then the follows_pair_key index).
 */
export function prepareProfileViews(db: Database): ProfileViews {
  // Qualified by hand: in a one-table select drizzle writes bare column names, and a bare "id" in
  // the subquery would be the edge's own id.
  const callerFollows = sql<boolean>`exists (
    select 1 from ${follows} as edge
    where edge.follower_id = ${sql.placeholder("callerId")} and edge.followee_id = ${profiles}.id
  )`.mapWith(Boolean);
  const columns = { ...getTableColumns(profiles), followedByMe: callerFollows };
  const byUsername = db
    .select(columns)
    .from(profiles)
    .where(eq(usernameKeyColumn, sql.placeholder("key")))
    .limit(1)
    .prepare("user_profile_view_by_username");
  const byId = db
    .select(columns)
    .from(profiles)
    .where(eq(profiles.id, sql.placeholder("id")))
    .limit(1)
    .prepare("user_profile_view_by_id");

  // An anonymous (or non-uuid) caller follows nobody: null matches no edge.
  const callerParam = (callerId: string | undefined): string | null =>
    callerId !== undefined && isUuid(callerId) ? callerId : null;

  return {
    async byUsername(callerId, key) {
      const [row] = await byUsername.execute({ callerId: callerParam(callerId), key });
      return row;
    },
    async byId(callerId, id) {
      if (!isUuid(id)) return undefined;
      const [row] = await byId.execute({ callerId: callerParam(callerId), id });
      return row;
    },
  };
}
