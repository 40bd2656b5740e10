import type { HandlerContext, ServiceImpl } from "@connectrpc/connect";
import type { ImageService } from "@instagram/contracts/image";
import {
  callerOf,
  DomainError,
  isUuid,
  type ListPage,
  listCursor,
  requireCaller,
  resolveListPage,
} from "@instagram/kit";
import { imageNotFound } from "../domain/errors.ts";
import type { ImageRecord } from "../domain/image-record.ts";
import { readFeed } from "../use-cases/feed.ts";
import type { ImageStore } from "../use-cases/image-store.ts";
import {
  listMentioningImages,
  listTaggedImages,
  listUserImages,
  ownersOf,
  viewImage,
} from "../use-cases/image-views.ts";
import { likeImage, listLikers, unlikeImage } from "../use-cases/likes.ts";
import { deleteImage } from "../use-cases/removal.ts";
import { imageMessageOf } from "./image-message.ts";

function imagesPage(page: ListPage<ImageRecord>) {
  return { images: page.items.map(imageMessageOf), nextCursor: listCursor(page.next) };
}

/** The verified caller, who must be an account (ids are UUIDs). */
function accountOf(ctx: HandlerContext): string {
  const caller = requireCaller(ctx);
  if (!isUuid(caller)) throw new DomainError("unauthenticated", "the token names no account");
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
  return {
    async getImage(req, ctx) {
      return {
        image: imageMessageOf(
          await viewImage(store, { imageId: imageIdOf(req.id), viewerId: viewerOf(ctx) }),
        ),
      };
    },

    async deleteImage(req, ctx) {
      await deleteImage(store, { imageId: imageIdOf(req.id), callerId: accountOf(ctx) });
      return {};
    },

    async listUserImages(req, ctx) {
      const page = { viewerId: viewerOf(ctx), ...resolveListPage(req.page) };
      return imagesPage(await listUserImages(store, { user: req.userId, ...page }));
    },

    async likeImage(req, ctx) {
      await likeImage(store, { imageId: imageIdOf(req.id), userId: accountOf(ctx) });
      return {};
    },

    async unlikeImage(req, ctx) {
      await unlikeImage(store, { imageId: imageIdOf(req.id), userId: accountOf(ctx) });
      return {};
    },

    async listLikers(req) {
      const page = await listLikers(store, { imageId: imageIdOf(req.id), ...resolveListPage(req.page) });
      return { userIds: page.items.map((like) => like.userId), nextCursor: listCursor(page.next) };
    },

    async listTagImages(req, ctx) {
      const page = { viewerId: viewerOf(ctx), ...resolveListPage(req.page) };
      return imagesPage(await listTaggedImages(store, { tag: req.tag, ...page }));
    },

    async listMentionImages(req, ctx) {
      const page = { viewerId: viewerOf(ctx), ...resolveListPage(req.page) };
      return imagesPage(await listMentioningImages(store, { username: req.username, ...page }));
    },

    async getFeed(req, ctx) {
      return imagesPage(await readFeed(store, { readerId: accountOf(ctx), ...resolveListPage(req.page) }));
    },

    async batchGetImageOwners(req) {
      return { owners: await ownersOf(store, req.ids) };
    },
  };
}
