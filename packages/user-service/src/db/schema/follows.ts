import { idColumn, instantColumn } from "@instagram/kit";
import { sql } from "drizzle-orm";
import { check, index, unique, uuid } from "drizzle-orm/pg-core";
import { profiles } from "./profiles.ts";
import { usersSchema } from "./users-schema.ts";

/**
 * The follow graph: one row per edge follower → followee. Lists page newest edge first by
 * (created_at, id), with one index per direction; created_at has millisecond precision so
 * that a cursor (which carries it) round-trips exactly through a JS Date.
 */
export const follows = usersSchema.table(
  "follows",
  {
    id: idColumn(), // UUIDv7, breaks ties of equal created_at
    // No cascade: a profile is deleted only after its edges, each taken off the counter on the
    // other side (use-cases/accounts.ts); a cascade would drop edges without their counts.
    followerId: uuid("follower_id")
      .notNull()
      .references(() => profiles.id),
    followeeId: uuid("followee_id")
      .notNull()
      .references(() => profiles.id),
    createdAt: instantColumn("created_at", { precision: 3 }).notNull().defaultNow(),
  },
  (t) => [
    unique("follows_pair_key").on(t.followerId, t.followeeId),
    // DESC NULLS FIRST is what a plain `order by … desc` means; drizzle's bare .desc() writes
    // NULLS LAST, which the planner cannot use for that order (it would sort every edge).
    index("follows_following_page").on(
      t.followerId,
      t.createdAt.desc().nullsFirst(),
      t.id.desc().nullsFirst(),
    ),
    index("follows_followers_page").on(
      t.followeeId,
      t.createdAt.desc().nullsFirst(),
      t.id.desc().nullsFirst(),
    ),
    check("follows_not_self", sql`${t.followerId} <> ${t.followeeId}`),
  ],
);

export type FollowRow = typeof follows.$inferSelect;
