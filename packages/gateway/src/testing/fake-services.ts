import { create } from "@bufbuild/protobuf";
import { timestampFromDate } from "@bufbuild/protobuf/wkt";
import { Code, ConnectError, type HandlerContext, type ServiceImpl } from "@connectrpc/connect";
import { AccountSchema, type AuthService, TokenPairSchema } from "@instagram/contracts/auth";
import { type Profile, ProfileSchema, type UserService } from "@instagram/contracts/user";
import { fieldErrorMetadata } from "@instagram/kit";
import type { TokenKeys } from "./token-keys.ts";

export interface FakeAccount {
  id: string;
  username: string;
  email: string;
  password: string;
  createdAt: Date;
}

export interface FakeImage {
  id: string;
  ownerId: string;
  caption: string;
  hashtags: string[];
  mentions: string[];
  contentType: string;
  bytes: Uint8Array<ArrayBuffer>;
  createdAt: Date;
}

export interface FakeComment {
  id: string;
  imageId: string;
  authorId: string;
  text: string;
  createdAt: Date;
}

/** What the fakes hold and what they saw; tests read and seed it. */
export interface FakeWorld {
  accounts: FakeAccount[];
  /** refresh token → account id; spent tokens are removed. */
  refreshTokens: Map<string, string>;
  /** follower id → followee ids */
  follows: Map<string, Set<string>>;
  displayNames: Map<string, string>;
  bios: Map<string, string>;
  /** Oldest first. */
  images: FakeImage[];
  /** image id → ids of the users who like it, newest like first */
  likes: Map<string, string[]>;
  /** Oldest first. */
  comments: FakeComment[];
  /** Authorization headers as the services received them, by method name. */
  received: { method: string; authorization: string | null }[];
}

export function emptyWorld(): FakeWorld {
  return {
    accounts: [],
    refreshTokens: new Map(),
    follows: new Map(),
    displayNames: new Map(),
    bios: new Map(),
    images: [],
    likes: new Map(),
    comments: [],
    received: [],
  };
}

/** Services verify the forwarded token themselves; so do the fakes. */
export async function callerOf(keys: TokenKeys, world: FakeWorld, ctx: HandlerContext): Promise<FakeAccount> {
  const authorization = ctx.requestHeader.get("authorization");
  world.received.push({ method: ctx.method.name, authorization });
  const token = authorization?.replace(/^Bearer /, "");
  const subject = token ? await keys.subjectOf(token).catch(() => undefined) : undefined;
  const account = world.accounts.find((candidate) => candidate.id === subject);
  if (!account) throw new ConnectError("not signed in", Code.Unauthenticated);
  return account;
}

export function fakeAuthService(keys: TokenKeys, world: FakeWorld): ServiceImpl<typeof AuthService> {
  let sequence = 0;
  const issue = async (account: FakeAccount) => {
    const refreshToken = `refresh-${account.id}-${++sequence}`;
    world.refreshTokens.set(refreshToken, account.id);
    return create(TokenPairSchema, {
      accessToken: await keys.sign(account.id),
      refreshToken,
      tokenType: "Bearer",
      expiresIn: 900,
    });
  };
  const accountMessage = (account: FakeAccount) =>
    create(AccountSchema, {
      id: account.id,
      username: account.username,
      email: account.email,
      createdAt: timestampFromDate(account.createdAt),
    });

  return {
    async signUp(request) {
      const problems = [];
      if (!/^[a-z0-9._]{3,30}$/.test(request.username))
        problems.push({ path: "username", message: "is not valid" });
      if (request.password.length < 8) problems.push({ path: "password", message: "is too short" });
      if (problems.length > 0) {
        throw new ConnectError("invalid input", Code.InvalidArgument, fieldErrorMetadata(problems));
      }
      if (world.accounts.some((account) => account.username === request.username)) {
        throw new ConnectError(
          "username is already taken",
          Code.AlreadyExists,
          fieldErrorMetadata([{ path: "username", message: "is already taken" }]),
        );
      }
      const account: FakeAccount = {
        id: `acc-${world.accounts.length + 1}`,
        username: request.username,
        email: request.email,
        password: request.password,
        createdAt: new Date("2025-01-02T03:04:05.678Z"),
      };
      world.accounts.push(account);
      return { account: accountMessage(account) };
    },
    async login(request) {
      const name = request.username.toLowerCase();
      const account = world.accounts.find((a) => a.username === name || a.email === name);
      if (!account || account.password !== request.password) {
        throw new ConnectError("invalid username or password", Code.Unauthenticated);
      }
      return { tokens: await issue(account), accountId: account.id };
    },
    async refresh(request) {
      const accountId = world.refreshTokens.get(request.refreshToken);
      const account = world.accounts.find((a) => a.id === accountId);
      if (!account) throw new ConnectError("the refresh token is not valid", Code.Unauthenticated);
      world.refreshTokens.delete(request.refreshToken);
      return { tokens: await issue(account) };
    },
    async logout(request, ctx) {
      const account = await callerOf(keys, world, ctx);
      if (world.refreshTokens.get(request.refreshToken) === account.id)
        world.refreshTokens.delete(request.refreshToken);
      return {};
    },
    async getAccount(_request, ctx) {
      return { account: accountMessage(await callerOf(keys, world, ctx)) };
    },
    async changePassword(request, ctx) {
      const account = await callerOf(keys, world, ctx);
      if (request.currentPassword !== account.password) {
        throw new ConnectError(
          "the password is wrong",
          Code.PermissionDenied,
          fieldErrorMetadata([{ path: "currentPassword", message: "is wrong" }]),
        );
      }
      if (request.newPassword.length < 8) {
        throw new ConnectError(
          "invalid input",
          Code.InvalidArgument,
          fieldErrorMetadata([{ path: "newPassword", message: "must be 8-128 characters" }]),
        );
      }
      account.password = request.newPassword;
      return {};
    },
    async deleteAccount(request, ctx) {
      const account = await callerOf(keys, world, ctx);
      if (request.password !== account.password)
        throw new ConnectError("the password is wrong", Code.PermissionDenied);
      world.accounts = world.accounts.filter((a) => a.id !== account.id);
      return {};
    },
    async getJwks() {
      return { jwksJson: JSON.stringify({ keys: [keys.publicJwk] }) };
    },
    async listRevokedSessions() {
      return { sessions: [] };
    },
  };
}

/** An offset page; the cursor "bad" is refused as services refuse a forged one. */
export function pageOf<T>(items: T[], page: { limit: number; cursor: string } | undefined) {
  if (page?.cursor === "bad") throw new ConnectError("the cursor is not valid", Code.InvalidArgument);
  const limit = page?.limit || 20;
  const start = page?.cursor ? Number(page.cursor) : 0;
  const slice = items.slice(start, start + limit);
  const next = start + limit < items.length ? String(start + limit) : "";
  return { slice, next };
}

export function fakeUserService(keys: TokenKeys, world: FakeWorld): ServiceImpl<typeof UserService> {
  const followeesOf = (id: string) => world.follows.get(id) ?? new Set<string>();
  const profileOf = (account: FakeAccount, viewer: FakeAccount): Profile =>
    create(ProfileSchema, {
      id: account.id,
      username: account.username,
      displayName: world.displayNames.get(account.id) ?? "",
      bio: world.bios.get(account.id) ?? "",
      followersCount: BigInt([...world.follows.values()].filter((set) => set.has(account.id)).length),
      followingCount: BigInt(followeesOf(account.id).size),
      imagesCount: 0n,
      createdAt: timestampFromDate(account.createdAt),
      followedByMe: followeesOf(viewer.id).has(account.id),
    });
  const byUsername = (username: string) => {
    const account = world.accounts.find((a) => a.username === username);
    if (!account) throw new ConnectError(`no user ${username}`, Code.NotFound);
    return account;
  };

  return {
    async getProfile(request, ctx) {
      const viewer = await callerOf(keys, world, ctx);
      if (request.key.case === "me") return { profile: profileOf(viewer, viewer) };
      if (request.key.case === "username")
        return { profile: profileOf(byUsername(request.key.value), viewer) };
      throw new ConnectError("no key", Code.InvalidArgument);
    },
    async updateProfile(request, ctx) {
      const viewer = await callerOf(keys, world, ctx);
      if (request.bio !== undefined && request.bio.length > 150) {
        throw new ConnectError(
          "invalid input",
          Code.InvalidArgument,
          fieldErrorMetadata([{ path: "bio", message: "must be at most 150 characters" }]),
        );
      }
      if (request.displayName !== undefined) world.displayNames.set(viewer.id, request.displayName);
      if (request.bio !== undefined) world.bios.set(viewer.id, request.bio);
      return { profile: profileOf(viewer, viewer) };
    },
    async searchProfiles(request, ctx) {
      const viewer = await callerOf(keys, world, ctx);
      const matches = world.accounts.filter((a) => a.username.startsWith(request.query.toLowerCase()));
      const { slice, next } = pageOf(matches, request.page);
      return { profiles: slice.map((a) => profileOf(a, viewer)), nextCursor: next };
    },
    async follow(request, ctx) {
      const viewer = await callerOf(keys, world, ctx);
      const target = byUsername(request.username);
      if (target.id === viewer.id)
        throw new ConnectError("you cannot follow yourself", Code.FailedPrecondition);
      world.follows.set(viewer.id, followeesOf(viewer.id).add(target.id));
      return {};
    },
    async unfollow(request, ctx) {
      const viewer = await callerOf(keys, world, ctx);
      const target = byUsername(request.username);
      followeesOf(viewer.id).delete(target.id);
      return {};
    },
    async listFollowers(request, ctx) {
      const viewer = await callerOf(keys, world, ctx);
      const target = byUsername(request.username);
      const followers = world.accounts.filter((a) => followeesOf(a.id).has(target.id));
      const { slice, next } = pageOf(followers, request.page);
      return { profiles: slice.map((a) => profileOf(a, viewer)), nextCursor: next };
    },
    async listFollowing(request, ctx) {
      const viewer = await callerOf(keys, world, ctx);
      const target = byUsername(request.username);
      const following = world.accounts.filter((a) => followeesOf(target.id).has(a.id));
      const { slice, next } = pageOf(following, request.page);
      return { profiles: slice.map((a) => profileOf(a, viewer)), nextCursor: next };
    },
    async listFolloweeIds(request) {
      return { userIds: [...followeesOf(request.userId)], nextCursor: "" };
    },
    async batchGetProfiles(request, ctx) {
      const viewer = await callerOf(keys, world, ctx);
      const found = request.ids.flatMap((id) => world.accounts.find((a) => a.id === id) ?? []);
      return { profiles: found.map((a) => profileOf(a, viewer)) };
    },
  };
}
