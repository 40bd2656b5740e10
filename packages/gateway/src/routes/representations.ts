import { type Timestamp, timestampDate } from "@bufbuild/protobuf/wkt";
import type { z } from "@hono/zod-openapi";
import type { Account, TokenPair } from "@instagram/contracts/auth";
import type { Comment } from "@instagram/contracts/comment";
import type { Image } from "@instagram/contracts/image";
import { imageRepresentationOf } from "@instagram/contracts/image-representation";
import type { Profile } from "@instagram/contracts/user";
import type {
  AccountSchema,
  CommentPageSchema,
  CommentSchema,
  ImagePageSchema,
  ImageSchema,
  ProfilePageSchema,
  ProfileSchema,
  TokenPairSchema,
} from "./schemas.ts";

/** RFC 3339 UTC. A service that omits a required time has a bug: fail loudly. */
function rfc3339(time: Timestamp | undefined, field: string): string {
  if (!time) throw new Error(`service response lacks ${field}`);
  return timestampDate(time).toISOString();
}

function present<T>(value: T | undefined, what: string): T {
  if (value === undefined) throw new Error(`service response lacks ${what}`);
  return value;
}

export function accountJson(account: Account | undefined): z.infer<typeof AccountSchema> {
  const { id, username, email, createdAt } = present(account, "account");
  return { id, username, email, createdAt: rfc3339(createdAt, "account.createdAt") };
}

export function tokenPairJson(tokens: TokenPair | undefined): z.infer<typeof TokenPairSchema> {
  const { accessToken, refreshToken, expiresIn } = present(tokens, "tokens");
  return { accessToken, refreshToken, tokenType: "Bearer", expiresIn };
}

export function profileJson(profile: Profile | undefined): z.infer<typeof ProfileSchema> {
  const p = present(profile, "profile");
  return {
    id: p.id,
    username: p.username,
    displayName: p.displayName,
    bio: p.bio,
    followersCount: Number(p.followersCount),
    followingCount: Number(p.followingCount),
    imagesCount: Number(p.imagesCount),
    createdAt: rfc3339(p.createdAt, "profile.createdAt"),
    followedByMe: p.followedByMe,
  };
}

export function profilePageJson(page: {
  profiles: Profile[];
  nextCursor: string;
}): z.infer<typeof ProfilePageSchema> {
  return {
    items: page.profiles.map(profileJson),
    nextCursor: page.nextCursor === "" ? null : page.nextCursor,
  };
}

/** The shared REST shape (contracts), so image-service's upload answer and the gateway's agree. */
export function imageJson(image: Image | undefined): z.infer<typeof ImageSchema> {
  return imageRepresentationOf(present(image, "image"));
}

export function imagePageJson(page: {
  images: Image[];
  nextCursor: string;
}): z.infer<typeof ImagePageSchema> {
  return { items: page.images.map(imageJson), nextCursor: page.nextCursor === "" ? null : page.nextCursor };
}

export function commentJson(comment: Comment | undefined): z.infer<typeof CommentSchema> {
  const c = present(comment, "comment");
  const author = present(c.author, "comment.author");
  return {
    id: c.id,
    imageId: c.imageId,
    author: { id: author.id, username: author.username },
    text: c.text,
    hashtags: c.hashtags,
    mentions: c.mentions,
    createdAt: rfc3339(c.createdAt, "comment.createdAt"),
  };
}

export function commentPageJson(page: {
  comments: Comment[];
  nextCursor: string;
}): z.infer<typeof CommentPageSchema> {
  return {
    items: page.comments.map(commentJson),
    nextCursor: page.nextCursor === "" ? null : page.nextCursor,
  };
}
