import { create } from "@bufbuild/protobuf";
import { timestampFromDate } from "@bufbuild/protobuf/wkt";
import { Code, ConnectError, type ServiceImpl } from "@connectrpc/connect";
import { type Image, ImageSchema, type ImageService } from "@instagram/contracts/image";
import { hashtagsOf, mentionsOf, normaliseHashtag } from "@instagram/contracts/text-entities";
import { imageJson } from "../routes/representations.ts";
import { callerOf, type FakeAccount, type FakeImage, type FakeWorld, pageOf } from "./fake-services.ts";
import type { TokenKeys } from "./token-keys.ts";

export const PNG_SIGNATURE = new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

/** Adds an image to the world as an upload would. */
export function seedImage(
  world: FakeWorld,
  owner: FakeAccount,
  caption = "",
  bytes: Uint8Array<ArrayBuffer> = PNG_SIGNATURE.slice(),
): FakeImage {
  const image: FakeImage = {
    id: `img-${world.images.length + 1}`,
    ownerId: owner.id,
    caption,
    hashtags: hashtagsOf(caption),
    mentions: mentionsOf(caption),
    contentType: "image/png",
    bytes,
    createdAt: new Date(Date.UTC(2025, 0, 1, 0, 0, world.images.length)),
  };
  world.images.push(image);
  return image;
}

export function imageMessageOf(world: FakeWorld, image: FakeImage, viewerId: string): Image {
  const likers = world.likes.get(image.id) ?? [];
  return create(ImageSchema, {
    id: image.id,
    owner: {
      id: image.ownerId,
      username: world.accounts.find((a) => a.id === image.ownerId)?.username ?? "",
    },
    caption: image.caption,
    hashtags: image.hashtags,
    mentions: image.mentions,
    contentType: image.contentType,
    width: 640,
    height: 480,
    likesCount: BigInt(likers.length),
    commentsCount: BigInt(world.comments.filter((c) => c.imageId === image.id).length),
    likedByMe: likers.includes(viewerId),
    createdAt: timestampFromDate(image.createdAt),
  });
}

/** The internal BatchGetImageOwners is left out. */
export function fakeImageService(
  keys: TokenKeys,
  world: FakeWorld,
): Omit<ServiceImpl<typeof ImageService>, "batchGetImageOwners"> {
  const imageById = (id: string) => {
    const image = world.images.find((candidate) => candidate.id === id);
    if (!image) throw new ConnectError("image not found", Code.NotFound);
    return image;
  };
  const newestFirst = (images: FakeImage[]) => [...images].reverse();
  const pageOfImages = (images: FakeImage[], page: Parameters<typeof pageOf>[1], viewerId: string) => {
    const { slice, next } = pageOf(newestFirst(images), page);
    return { images: slice.map((image) => imageMessageOf(world, image, viewerId)), nextCursor: next };
  };

  return {
    async getImage(request, ctx) {
      const viewer = await callerOf(keys, world, ctx);
      return { image: imageMessageOf(world, imageById(request.id), viewer.id) };
    },
    async deleteImage(request, ctx) {
      const viewer = await callerOf(keys, world, ctx);
      const image = imageById(request.id);
      if (image.ownerId !== viewer.id)
        throw new ConnectError("only the owner may delete an image", Code.PermissionDenied);
      world.images = world.images.filter((candidate) => candidate.id !== image.id);
      return {};
    },
    async listUserImages(request, ctx) {
      const viewer = await callerOf(keys, world, ctx);
      // A user id, or a username (image-service resolves it in its read model of users).
      const owner = world.accounts.find((a) => a.id === request.userId || a.username === request.userId);
      if (!owner) throw new ConnectError("user not found", Code.NotFound);
      const owned = world.images.filter((image) => image.ownerId === owner.id);
      return pageOfImages(owned, request.page, viewer.id);
    },
    async likeImage(request, ctx) {
      const viewer = await callerOf(keys, world, ctx);
      const image = imageById(request.id);
      const likers = world.likes.get(image.id) ?? [];
      if (!likers.includes(viewer.id)) world.likes.set(image.id, [viewer.id, ...likers]);
      return {};
    },
    async unlikeImage(request, ctx) {
      const viewer = await callerOf(keys, world, ctx);
      const image = imageById(request.id);
      const likers = world.likes.get(image.id) ?? [];
      world.likes.set(
        image.id,
        likers.filter((id) => id !== viewer.id),
      );
      return {};
    },
    async listLikers(request, ctx) {
      await callerOf(keys, world, ctx);
      const image = imageById(request.id);
      const { slice, next } = pageOf(world.likes.get(image.id) ?? [], request.page);
      return { userIds: slice, nextCursor: next };
    },
    async listTagImages(request, ctx) {
      const viewer = await callerOf(keys, world, ctx);
      const tag = normaliseHashtag(request.tag);
      if (tag === undefined) throw new ConnectError("bad tag", Code.InvalidArgument);
      const tagged = world.images.filter((image) => image.hashtags.includes(tag));
      return pageOfImages(tagged, request.page, viewer.id);
    },
    async listMentionImages(request, ctx) {
      const viewer = await callerOf(keys, world, ctx);
      const name = request.username.toLowerCase();
      const mentioning = world.images.filter((image) => image.mentions.includes(name));
      return pageOfImages(mentioning, request.page, viewer.id);
    },
    async getFeed(request, ctx) {
      const viewer = await callerOf(keys, world, ctx);
      const followees = world.follows.get(viewer.id) ?? new Set<string>();
      const feed = world.images.filter(
        (image) => image.ownerId === viewer.id || followees.has(image.ownerId),
      );
      return pageOfImages(feed, request.page, viewer.id);
    },
  };
}

/** What the fake image-service saw of a plain-HTTP request, as fetch handed it over. */
export interface FileRequest {
  url: string;
  method: string;
  headers: Headers;
  body: unknown;
}

function problem(status: number, detail: string, field?: string): Response {
  const body = { type: "about:blank", title: `status ${status}`, status, detail };
  return Response.json(field ? { ...body, errors: [{ path: field, message: detail }] } : body, {
    status,
    headers: { "content-type": "application/problem+json" },
  });
}

async function readCounted(
  body: ReadableStream<Uint8Array>,
  maxBytes: number,
): Promise<Uint8Array<ArrayBuffer>[] | "too large"> {
  const reader = body.getReader();
  const chunks: Uint8Array<ArrayBuffer>[] = [];
  let size = 0;
  for (let next = await reader.read(); !next.done; next = await reader.read()) {
    size += next.value.byteLength;
    if (size > maxBytes) {
      await reader.cancel();
      return "too large";
    }
    chunks.push(next.value.slice());
  }
  return chunks;
}

/**
 * image-service's HTTP side in miniature: POST /internal/v1/uploads (multipart, PNG only) and
 * GET /v1/images/{id}/content with a strong ETag.
 */
export function fakeImageFilesBackend(
  keys: TokenKeys,
  world: FakeWorld,
  opts: { maxUploadBytes?: number } = {},
): (request: Request) => Promise<Response> {
  const maxBytes = opts.maxUploadBytes ?? 20 * 1024 * 1024;

  async function upload(request: Request): Promise<Response> {
    const token = request.headers.get("authorization")?.replace(/^Bearer /, "");
    const subject = token ? await keys.subjectOf(token).catch(() => undefined) : undefined;
    const owner = world.accounts.find((a) => a.id === subject);
    if (!owner) return problem(401, "the access token is not valid");
    const type = request.headers.get("content-type") ?? "";
    if (!type.startsWith("multipart/form-data")) return problem(415, "send multipart/form-data");
    if (Number(request.headers.get("content-length")) > maxBytes) return problem(413, "too large", "file");
    if (!request.body) return problem(400, "the form has no file part", "file");
    const chunks = await readCounted(request.body, maxBytes);
    if (chunks === "too large") return problem(413, "the file is larger than 20 MiB", "file");
    const form = await new Response(new Blob(chunks), { headers: { "content-type": type } }).formData();
    const file = form.get("file");
    if (!(file instanceof Blob)) return problem(400, "the form has no file part", "file");
    const bytes = new Uint8Array(await file.arrayBuffer());
    if (!PNG_SIGNATURE.every((byte, i) => bytes[i] === byte)) return problem(415, "not an image", "file");
    const caption = form.get("caption");
    const text = typeof caption === "string" ? caption : "";
    if ([...text].length > 2200) return problem(400, "the caption is too long", "caption");
    const image = seedImage(world, owner, text, bytes);
    return Response.json(imageJson(imageMessageOf(world, image, owner.id)), {
      status: 201,
      headers: { location: `/v1/images/${image.id}` },
    });
  }

  function content(request: Request, id: string): Response {
    const image = world.images.find((candidate) => candidate.id === id);
    if (!image) return problem(404, "image not found");
    const size = new URL(request.url).searchParams.get("size") ?? "original";
    if (size !== "original" && size !== "thumbnail") return problem(400, "bad size", "size");
    const etag = `"${image.id}-${size}"`;
    const headers: Record<string, string> = {
      etag,
      "cache-control": "public, max-age=31536000, immutable",
      "content-type": image.contentType,
      "x-content-type-options": "nosniff",
      "x-internal-detail": "not for clients",
    };
    if (request.headers.get("if-none-match") === etag) return new Response(null, { status: 304, headers });
    const bytes = size === "original" ? image.bytes : image.bytes.slice(0, 4);
    return new Response(bytes, {
      status: 200,
      headers: { ...headers, "content-length": String(bytes.length) },
    });
  }

  return async (request) => {
    const { pathname } = new URL(request.url);
    if (request.method === "POST" && pathname === "/internal/v1/uploads") return upload(request);
    const contentPath = /^\/v1\/images\/([^/]+)\/content$/.exec(pathname);
    if ((request.method === "GET" || request.method === "HEAD") && contentPath?.[1]) {
      const answer = content(request, decodeURIComponent(contentPath[1]));
      return request.method === "HEAD" ? new Response(null, answer) : answer;
    }
    return problem(404, "no such route");
  };
}
