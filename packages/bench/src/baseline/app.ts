import { Hono } from "hono";
import { createLocalJWKSet, type JSONWebKeySet, jwtVerify } from "jose";
import type { Sql } from "postgres";
import {
  feedPage,
  findImage,
  findProfile,
  type ImageRow,
  type ProfileRow,
  userImagesPage,
} from "./queries.ts";

/**
 * The baseline: the same answers as the gateway's GET /v1/users/{u}, /v1/images/{id},
 * /v1/users/{u}/images and /v1/feed (first page), from one process: the bearer token verified with
 * jose against auth-service's key set, then one query on the same PostgreSQL.
 */
export function createBaselineApp(deps: { sql: Sql; jwks: JSONWebKeySet; issuer: string }) {
  const keys = createLocalJWKSet(deps.jwks);
  const app = new Hono<{ Variables: { viewerId: string } }>();

  app.use("/v1/*", async (c, next) => {
    const header = c.req.header("authorization") ?? "";
    const token = header.startsWith("Bearer ") ? header.slice("Bearer ".length) : "";
    try {
      const { payload } = await jwtVerify(token, keys, {
        issuer: deps.issuer,
        requiredClaims: ["exp", "sub"],
      });
      c.set("viewerId", payload.sub as string);
    } catch {
      return problem(401, "the access token is missing, expired or not valid");
    }
    await next();
  });

  app.get("/v1/users/:username", async (c) => {
    const profile = await findProfile(deps.sql, c.req.param("username"), c.var.viewerId);
    return profile ? c.json(profileJson(profile)) : problem(404, "no such user");
  });

  app.get("/v1/images/:id", async (c) => {
    const id = c.req.param("id");
    if (!uuidPattern.test(id)) return problem(404, "no such image");
    const image = await findImage(deps.sql, id, c.var.viewerId);
    return image ? c.json(imageJson(image)) : problem(404, "no such image");
  });

  app.get("/v1/users/:username/images", async (c) => {
    const limit = pageLimit(c.req.query("limit"));
    const rows = await userImagesPage(deps.sql, c.req.param("username"), c.var.viewerId, limit);
    if (rows.length === 0) return problem(404, "no such user");
    const images = rows.filter((row): row is ImageRow => row.id !== null);
    return c.json(page(images, limit));
  });

  app.get("/v1/feed", async (c) => {
    const limit = pageLimit(c.req.query("limit"));
    return c.json(page(await feedPage(deps.sql, c.var.viewerId, limit), limit));
  });

  app.onError((error) => {
    process.stderr.write(`[baseline] ${error instanceof Error ? error.message : String(error)}\n`);
    return problem(500, "internal error");
  });
  return app;
}

const uuidPattern = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

function pageLimit(text: string | undefined): number {
  const limit = Number(text ?? 20);
  return Number.isInteger(limit) && limit >= 1 && limit <= 100 ? limit : 20;
}

function problem(status: 401 | 404 | 500, detail: string): Response {
  return new Response(JSON.stringify({ type: "about:blank", status, detail }), {
    status,
    headers: { "content-type": "application/problem+json" },
  });
}

function profileJson(p: ProfileRow) {
  return {
    id: p.id,
    username: p.username,
    displayName: p.display_name,
    bio: p.bio,
    followersCount: Number(p.followers_count),
    followingCount: Number(p.following_count),
    imagesCount: Number(p.images_count),
    createdAt: p.created_at.toISOString(),
    followedByMe: p.followed_by_me,
  };
}

function imageJson(i: ImageRow) {
  const content = (size: string) => `/v1/images/${encodeURIComponent(i.id)}/content?size=${size}`;
  return {
    id: i.id,
    owner: { id: i.owner_id, username: i.owner_username },
    caption: i.caption,
    hashtags: i.hashtags,
    mentions: i.mentions,
    contentType: i.content_type,
    width: i.width,
    height: i.height,
    likesCount: i.likes_count,
    commentsCount: i.comments_count,
    likedByMe: i.liked_by_me,
    createdAt: i.created_at.toISOString(),
    urls: { original: content("original"), thumbnail: content("thumbnail") },
  };
}

/** A keyset page: `limit + 1` rows were read, the extra one only tells that there is a next page. */
function page(rows: ImageRow[], limit: number) {
  const items = rows.slice(0, limit);
  const last = items[items.length - 1];
  const nextCursor =
    rows.length > limit && last
      ? Buffer.from(JSON.stringify([last.created_at.toISOString(), last.id])).toString("base64url")
      : null;
  return { items: items.map(imageJson), nextCursor };
}
