import type { Executor } from "@instagram/kit";
import { and, asc, eq, gt, gte, inArray, lt, type SQL, sql } from "drizzle-orm";
import type { ProfileEdit } from "../domain/profile-edit.ts";
import type { UsernameRange } from "../domain/search-query.ts";
import { type ProfileRow, profiles } from "./schema/index.ts";

/** lower(username): the key of the unique index (collation "C"), used by every username lookup. */
export const usernameKeyColumn: SQL = sql`lower(${profiles.username})`;

export interface NewProfile {
  id: string;
  username: string;
  createdAt: Date;
  imagesCount: number;
}

/** Creates the profile unless one with this id exists; returns it only when created. */
export async function insertProfile(db: Executor, profile: NewProfile): Promise<ProfileRow | undefined> {
  const rows = await db
    .insert(profiles)
    .values({ ...profile, updatedAt: profile.createdAt })
    .onConflictDoNothing({ target: profiles.id })
    .returning();
  return rows[0];
}

export async function findProfileById(db: Executor, id: string): Promise<ProfileRow | undefined> {
  const rows = await db.select().from(profiles).where(eq(profiles.id, id)).limit(1);
  return rows[0];
}

/** `key` is a lower-cased username (domain/username.ts). */
export async function findProfileByUsername(db: Executor, key: string): Promise<ProfileRow | undefined> {
  const rows = await db.select().from(profiles).where(eq(usernameKeyColumn, key)).limit(1);
  return rows[0];
}

/** Locks the row for an update in the caller's transaction. */
export async function lockProfile(db: Executor, id: string): Promise<ProfileRow | undefined> {
  const rows = await db.select().from(profiles).where(eq(profiles.id, id)).for("update");
  return rows[0];
}

export async function findProfilesByIds(db: Executor, ids: string[]): Promise<ProfileRow[]> {
  if (ids.length === 0) return [];
  return db.select().from(profiles).where(inArray(profiles.id, ids));
}

export async function updateProfile(
  db: Executor,
  id: string,
  edit: ProfileEdit,
): Promise<ProfileRow | undefined> {
  const rows = await db
    .update(profiles)
    .set({ ...edit, updatedAt: sql`now()` })
    .where(eq(profiles.id, id))
    .returning();
  return rows[0];
}

export async function deleteProfile(db: Executor, id: string): Promise<ProfileRow | undefined> {
  const rows = await db.delete(profiles).where(eq(profiles.id, id)).returning();
  return rows[0];
}

/** Profiles whose username falls in `range`, in username order, after the keyset cursor `after`. */
export async function searchProfiles(
  db: Executor,
  range: UsernameRange,
  after: string | undefined,
  limit: number,
): Promise<ProfileRow[]> {
  return db
    .select()
    .from(profiles)
    .where(
      and(
        gte(usernameKeyColumn, range.from),
        lt(usernameKeyColumn, range.below),
        after === undefined ? undefined : gt(usernameKeyColumn, after),
      ),
    )
    .orderBy(asc(usernameKeyColumn))
    .limit(limit);
}

/** Moves images_count by `delta`; a missing profile is left alone (it counts on creation). */
export async function addToImagesCount(db: Executor, ownerId: string, delta: number): Promise<void> {
  await db
    .update(profiles)
    .set({ imagesCount: sql`greatest(${profiles.imagesCount} + ${delta}, 0)` })
    .where(eq(profiles.id, ownerId));
}
