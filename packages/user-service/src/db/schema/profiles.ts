import { idColumn, instantColumn } from "@instagram/kit";
import { sql } from "drizzle-orm";
import { bigint, check, text, uniqueIndex } from "drizzle-orm/pg-core";
import { usernameText } from "./username-column.ts";
import { usersSchema } from "./users-schema.ts";

export const profiles = usersSchema.table(
  "profiles",
  {
    id: idColumn(), // = the account id
    username: usernameText("username").notNull(),
    displayName: text("display_name").notNull().default(""),
    bio: text("bio").notNull().default(""),
    followersCount: bigint("followers_count", { mode: "number" }).notNull().default(0),
    followingCount: bigint("following_count", { mode: "number" }).notNull().default(0),
    imagesCount: bigint("images_count", { mode: "number" }).notNull().default(0),
    createdAt: instantColumn("created_at", { precision: 3 }).notNull(),
    updatedAt: instantColumn("updated_at", { precision: 3 }).notNull().defaultNow(),
  },
  (t) => [
    // Case-insensitive uniqueness, lookup by username, and prefix search (C collation, see usernameText).
    uniqueIndex("profiles_username_key").on(sql`lower(${t.username})`),
    check(
      "profiles_counts_not_negative",
      sql`${t.followersCount} >= 0 and ${t.followingCount} >= 0 and ${t.imagesCount} >= 0`,
    ),
  ],
);

export type ProfileRow = typeof profiles.$inferSelect;
