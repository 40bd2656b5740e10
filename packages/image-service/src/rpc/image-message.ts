import { create } from "@bufbuild/protobuf";
import { timestampFromDate } from "@bufbuild/protobuf/wkt";
import { type Image, ImageSchema } from "@instagram/contracts/image";
import type { ImageRecord } from "../domain/image-record.ts";

export function imageMessageOf(record: ImageRecord): Image {
  return create(ImageSchema, {
    id: record.id,
    owner: { id: record.ownerId, username: record.ownerUsername },
    caption: record.caption,
    hashtags: record.hashtags,
    mentions: record.mentions,
    contentType: record.contentType,
    width: record.width,
    height: record.height,
    likesCount: BigInt(record.likesCount),
    commentsCount: BigInt(record.commentsCount),
    likedByMe: record.likedByMe,
    createdAt: timestampFromDate(record.createdAt),
  });
}
