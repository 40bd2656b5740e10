import { Code, ConnectError, type HandlerContext, type ServiceImpl } from "@connectrpc/connect";
import type { ImageService } from "@instagram/contracts/image";
import { normaliseMention } from "@instagram/contracts/text-entities";
import { callerOf, isUuid, type ListPage, listCursor, requireCaller, resolveListPage } from "@instagram/kit";
import {
  findImageRecord,
  isDeletedOwner,
  listImagesOfUsername,
  listMentionImages,
  listOwnerImages,
  listTagImages,
  ownersOfImages,
} from "../db/image-records.ts";
import { normaliseTag, normaliseUsername } from "../domain/caption.ts";
import { imageNotFound } from "../domain/errors.ts";
import type { ImageRecord } from "../domain/image-record.ts";
import { readFeed } from "../images/feed.ts";
import type { ImageStore } from "../images/image-deps.ts";
import { likeImage, listLikers, unlikeImage } from "../images/likes.ts";
import { deleteImage } from "../images/removal.ts";
import { answeringWith } from "./errors.ts";
import { imageMessageOf } from "./image-message.ts";

const MAX_BATCH_IDS = 500;

function imagesPage(page: ListPage<ImageRecord>) {
  return { images: page.items.map(imageMessageOf), nextCursor: listCursor(page.next) };
}

/** The verified caller, who must be an account (ids are UUIDs). */
function accountOf(ctx: HandlerContext): string {
  const caller = requireCaller(ctx);
  if (!isUuid(caller)) throw new ConnectError("the token names no account", Code.Unauthenticated);
  return caller;
}

/** Whom likedByMe is about: the caller, if any. */
function viewerOf(ctx: HandlerContext): string | undefined {
  const caller = callerOf(ctx);
  return caller !== undefined && isUuid(caller) ? caller : undefined;
}

/** An image id from a request: anything that is not a UUID names no image. */
function imageIdOf(id: string): string {
  if (!isUuid(id)) throw imageNotFound();
  return id;
}

export function createImageServiceImpl(store: ImageStore): ServiceImpl<typeof ImageService> {
  const { db } = store;
  const answering = answeringWith(store.logger);
  return {
    getImage: (req, ctx) =>
      answering(async () => {
        const record = await findImageRecord(db, imageIdOf(req.id), viewerOf(ctx));
        if (record === undefined) throw imageNotFound();
        return { image: imageMessageOf(record) };
      }),

    deleteImage: (req, ctx) =>
      answering(async () => {
        await deleteImage(store, { imageId: imageIdOf(req.id), callerId: accountOf(ctx) });
        return {};
      }),

    // `user_id` takes a user id, or (for a gateway without a lookup of its own) a username,
    // resolved through the owners read model.
    listUserImages: (req, ctx) =>
      answering(async () => {
        const page = { viewerId: viewerOf(ctx), ...resolveListPage(req.page) };
        const ownerId = req.userId;
        if (!isUuid(ownerId)) {
          if (normaliseMention(ownerId) === undefined)
            throw new ConnectError("user_id must be a user id or a username", Code.InvalidArgument);
          const listed = await listImagesOfUsername(db, { username: normaliseUsername(ownerId), ...page });
          if (listed === undefined) throw new ConnectError("user not found", Code.NotFound);
          return imagesPage(listed);
        }
        if (await isDeletedOwner(db, ownerId)) throw new ConnectError("user not found", Code.NotFound);
        return imagesPage(await listOwnerImages(db, { ownerId, ...page }));
      }),

    likeImage: (req, ctx) =>
      answering(async () => {
        await likeImage(store, { imageId: imageIdOf(req.id), userId: accountOf(ctx) });
        return {};
      }),

    unlikeImage: (req, ctx) =>
      answering(async () => {
        await unlikeImage(store, { imageId: imageIdOf(req.id), userId: accountOf(ctx) });
        return {};
      }),

    listLikers: (req) =>
      answering(async () => {
        const page = await listLikers(store, { imageId: imageIdOf(req.id), ...resolveListPage(req.page) });
        return { userIds: page.items.map((like) => like.userId), nextCursor: listCursor(page.next) };
      }),

    listTagImages: (req, ctx) =>
      answering(async () => {
        const tag = normaliseTag(req.tag);
        return imagesPage(
          await listTagImages(db, { tag, viewerId: viewerOf(ctx), ...resolveListPage(req.page) }),
        );
      }),

    // Unknown usernames give an empty page: whether the user exists is user-service's answer.
    listMentionImages: (req, ctx) =>
      answering(async () => {
        const username = normaliseUsername(req.username);
        return imagesPage(
          await listMentionImages(db, { username, viewerId: viewerOf(ctx), ...resolveListPage(req.page) }),
        );
      }),

    getFeed: (req, ctx) =>
      answering(async () =>
        imagesPage(await readFeed(store, { readerId: accountOf(ctx), ...resolveListPage(req.page) })),
      ),

    batchGetImageOwners: (req) =>
      answering(async () => {
        if (req.ids.length > MAX_BATCH_IDS) {
          throw new ConnectError(`at most ${MAX_BATCH_IDS} ids per call`, Code.InvalidArgument);
        }
        const ids = [...new Set(req.ids.filter(isUuid))];
        return { owners: await ownersOfImages(db, ids) };
      }),
  };
}
