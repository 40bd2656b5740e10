import { type Database, inTransaction, isUuid, type Outbox } from "@instagram/kit";
import { type ProfileView, prepareProfileViews, viewProfiles } from "../db/profile-views.ts";
import { findProfilesByIds, lockProfile, searchProfiles, updateProfile } from "../db/profiles.ts";
import { profileNotFound } from "../domain/errors.ts";
import type { ProfileEdit } from "../domain/profile-edit.ts";
import type { UsernameRange } from "../domain/search-query.ts";

export interface DirectoryDeps {
  db: Database;
  outbox: Outbox;
}

export interface ProfilePage {
  profiles: ProfileView[];
  /** The last username of a full page, or undefined at the end. */
  lastKey: string | undefined;
}

/** Profiles: reading, editing, searching. The follow graph is in follow-graph.ts. */
export interface ProfileDirectory {
  byId(callerId: string | undefined, id: string): Promise<ProfileView>;
  /** `key` is a lower-cased username. */
  byUsername(callerId: string | undefined, key: string): Promise<ProfileView>;
  /** In the order asked; unknown ids are left out. */
  byIds(callerId: string | undefined, ids: string[]): Promise<ProfileView[]>;
  edit(callerId: string, edit: ProfileEdit): Promise<ProfileView>;
  search(
    callerId: string | undefined,
    range: UsernameRange,
    after: string | undefined,
    limit: number,
  ): Promise<ProfilePage>;
}

export function createProfileDirectory(deps: DirectoryDeps): ProfileDirectory {
  const { db, outbox } = deps;
  const views = prepareProfileViews(db);
  return {
    async byId(callerId, id) {
      const view = await views.byId(callerId, id);
      if (!view) throw profileNotFound();
      return view;
    },

    async byUsername(callerId, key) {
      const view = await views.byUsername(callerId, key);
      if (!view) throw profileNotFound();
      return view;
    },

    async byIds(callerId, ids) {
      const known = ids.filter(isUuid).map((id) => id.toLowerCase());
      const rows = await findProfilesByIds(db, [...new Set(known)]);
      const byId = new Map(rows.map((r) => [r.id, r]));
      const ordered = known.flatMap((id) => byId.get(id) ?? []);
      return viewProfiles(db, callerId, ordered);
    },

    async edit(callerId, edit) {
      if (!isUuid(callerId)) throw profileNotFound();
      const row = await inTransaction(db, async (tx) => {
        const current = await lockProfile(tx, callerId);
        if (!current) throw profileNotFound();
        const changed =
          (edit.displayName !== undefined && edit.displayName !== current.displayName) ||
          (edit.bio !== undefined && edit.bio !== current.bio);
        if (!changed) return current;
        const updated = (await updateProfile(tx, callerId, edit))!;
        await outbox.publish(tx, {
          topic: "users",
          type: "UPDATED",
          aggregateId: updated.id,
          payload: {
            userId: updated.id,
            username: updated.username,
            displayName: updated.displayName,
            bio: updated.bio,
          },
        });
        return updated;
      });
      // Nobody follows themselves.
      return { ...row, followedByMe: false };
    },

    async search(callerId, range, after, limit) {
      const rows = await searchProfiles(db, range, after, limit + 1);
      const page = rows.slice(0, limit);
      const more = rows.length > limit;
      return {
        profiles: await viewProfiles(db, callerId, page),
        lastKey: more ? page.at(-1)?.username.toLowerCase() : undefined,
      };
    },
  };
}
