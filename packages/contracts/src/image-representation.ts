// The public REST shape of an Image, from the Image message every service speaks: one definition for
// the gateway's answers and image-service's upload route, so the two never drift apart.
import { type Timestamp, timestampDate } from "@bufbuild/protobuf/wkt";
import type { Image } from "./gen/instagram/image/v1/image_pb.ts";

/** The two stored files of an image. */
export type ImageRendition = "original" | "thumbnail";

/** The public REST JSON of an Image, as GET /v1/images/{id} answers it. */
export interface ImageRepresentation {
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
  /** RFC 3339, UTC. */
  createdAt: string;
  urls: { original: string; thumbnail: string };
}

/** Where GET /v1/images/{id}/content serves a rendition (relative to the API's origin). */
export function imageContentPath(imageId: string, rendition: ImageRendition): string {
  return `/v1/images/${encodeURIComponent(imageId)}/content?size=${rendition}`;
}

/** An Image message → its REST JSON. A message without owner or creation time is a service's bug: it throws. */
export function imageRepresentationOf(image: Image): ImageRepresentation {
  const owner = image.owner;
  if (!owner) throw new Error("service response lacks image.owner");
  return {
    id: image.id,
    owner: { id: owner.id, username: owner.username },
    caption: image.caption,
    hashtags: image.hashtags,
    mentions: image.mentions,
    contentType: image.contentType,
    width: image.width,
    height: image.height,
    likesCount: Number(image.likesCount),
    commentsCount: Number(image.commentsCount),
    likedByMe: image.likedByMe,
    createdAt: rfc3339(image.createdAt),
    urls: {
      original: imageContentPath(image.id, "original"),
      thumbnail: imageContentPath(image.id, "thumbnail"),
    },
  };
}

function rfc3339(time: Timestamp | undefined): string {
  if (!time) throw new Error("service response lacks image.createdAt");
  return timestampDate(time).toISOString();
}
