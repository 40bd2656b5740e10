import type { ServiceImpl } from "@connectrpc/connect";
import type { UserService } from "@instagram/contracts/user";
import { callerOf, type Logger, listCursor, requireCaller, resolveListPage } from "@instagram/kit";
import { invalid } from "../domain/errors.ts";
import { parseProfileEdit } from "../domain/profile-edit.ts";
import { parseSearchQuery } from "../domain/search-query.ts";
import { usernameKey } from "../domain/username.ts";
import type { FollowGraph } from "../follow-graph.ts";
import type { ProfileDirectory } from "../profile-directory.ts";
import { toConnectError } from "./errors.ts";
import { followeeIdsPage, usernameCursor, usernamePage } from "./paging.ts";
import { toProfileMessage } from "./profile-message.ts";

/** Most profiles one BatchGetProfiles call may ask for. */
const BATCH_PROFILES_MAX = 100;

export interface UserServiceDeps {
  directory: ProfileDirectory;
  graph: FollowGraph;
  logger: Logger;
}

/** UserService over Connect: validate, call the directory or the graph, map errors. */
export function createUserServiceImpl(deps: UserServiceDeps): ServiceImpl<typeof UserService> {
  const { directory, graph } = deps;

  async function answering<T>(work: () => Promise<T>): Promise<T> {
    try {
      return await work();
    } catch (error) {
      throw toConnectError(error, deps.logger);
    }
  }
  return {
    getProfile: (req, ctx) =>
      answering(async () => {
        const caller = callerOf(ctx);
        switch (req.key.case) {
          case "id":
            return { profile: toProfileMessage(await directory.byId(caller, req.key.value)) };
          case "username":
            return {
              profile: toProfileMessage(await directory.byUsername(caller, usernameKey(req.key.value))),
            };
          case "me": {
            const me = requireCaller(ctx);
            return { profile: toProfileMessage(await directory.byId(me, me)) };
          }
          default:
            throw invalid("key", "one of id, username or me is required");
        }
      }),

    updateProfile: (req, ctx) =>
      answering(async () => {
        const me = requireCaller(ctx);
        const edit = parseProfileEdit({ displayName: req.displayName, bio: req.bio });
        return { profile: toProfileMessage(await directory.edit(me, edit)) };
      }),

    searchProfiles: (req, ctx) =>
      answering(async () => {
        const range = parseSearchQuery(req.query);
        const { limit, after } = usernamePage(req.page);
        const page = await directory.search(callerOf(ctx), range, after, limit);
        return { profiles: page.profiles.map(toProfileMessage), nextCursor: usernameCursor(page.lastKey) };
      }),

    follow: (req, ctx) =>
      answering(async () => {
        await graph.follow(requireCaller(ctx), usernameKey(req.username));
        return {};
      }),

    unfollow: (req, ctx) =>
      answering(async () => {
        await graph.unfollow(requireCaller(ctx), usernameKey(req.username));
        return {};
      }),

    listFollowers: (req, ctx) =>
      answering(async () => {
        const key = usernameKey(req.username);
        const { limit, after } = resolveListPage(req.page);
        const page = await graph.followers(callerOf(ctx), key, after, limit);
        return { profiles: page.items.map(toProfileMessage), nextCursor: listCursor(page.next) };
      }),

    listFollowing: (req, ctx) =>
      answering(async () => {
        const key = usernameKey(req.username);
        const { limit, after } = resolveListPage(req.page);
        const page = await graph.following(callerOf(ctx), key, after, limit);
        return { profiles: page.items.map(toProfileMessage), nextCursor: listCursor(page.next) };
      }),

    listFolloweeIds: (req) =>
      answering(async () => {
        if (req.userId === "") throw invalid("userId", "is required");
        const { limit, after } = followeeIdsPage(req.page);
        const page = await graph.followeeIds(req.userId, after, limit);
        return { userIds: page.items, nextCursor: listCursor(page.next) };
      }),

    batchGetProfiles: (req, ctx) =>
      answering(async () => {
        if (req.ids.length > BATCH_PROFILES_MAX) {
          throw invalid("ids", `at most ${BATCH_PROFILES_MAX} ids per call`);
        }
        const views = await directory.byIds(callerOf(ctx), req.ids);
        return { profiles: views.map(toProfileMessage) };
      }),
  };
}
