import type { ImageRecord } from "../domain/image-record.ts";
import { contentPathOf } from "../domain/renditions.ts";

/** The public REST shape of an Image (API.md), as the upload route answers it. */
export interface ImageJson {
  id: string;
  owner: { id: string; username: string };
  caption: string;
  hashtags: string[];
  mentions: string[];
  contentType: string;
  width: number;
  height: number;
  likesCount: number;
  commentsCount: number;
  likedByMe: boolean;
  createdAt: string;
  urls: { original: string; thumbnail: string };
}

export function imageJsonOf(record: ImageRecord): ImageJson {
  return {
    id: record.id,
    owner: { id: record.ownerId, username: record.ownerUsername },
    caption: record.caption,
    hashtags: record.hashtags,
    mentions: record.mentions,
    contentType: record.contentType,
    width: record.width,
    height: record.height,
    likesCount: record.likesCount,
    commentsCount: record.commentsCount,
    likedByMe: record.likedByMe,
    createdAt: record.createdAt.toISOString(),
    urls: {
      original: contentPathOf(record.id, "original"),
      thumbnail: contentPathOf(record.id, "thumbnail"),
    },
  };
}
