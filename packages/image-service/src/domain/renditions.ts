import type { ImageRendition } from "@instagram/contracts/image-representation";

/** The two stored files of an image, named as the public content URLs name them (`?size=`). */
export type Rendition = ImageRendition;

export const renditions: readonly Rendition[] = ["original", "thumbnail"];

/** The thumbnail's longer side is at most this many pixels (never enlarged). */
export const THUMBNAIL_MAX_EDGE = 320;

export function isRendition(value: string): value is Rendition {
  return (renditions as readonly string[]).includes(value);
}

/** The blob store key of one rendition: `<image id>.<rendition>`. */
export function blobKeyOf(imageId: string, rendition: Rendition): string {
  return `${imageId}.${rendition}`;
}

/**
 * A strong validator: the bytes behind (image id, rendition) never change — ids are never reused and
 * files are written once — so the pair identifies the representation exactly.
 */
export function etagOf(imageId: string, rendition: Rendition): string {
  return `"${imageId}.${rendition}"`;
}

/** Whether an If-None-Match header matches the etag (list form and `*` included; W/ compares weakly). */
export function matchesEtag(ifNoneMatch: string | undefined, etag: string): boolean {
  if (ifNoneMatch === undefined) return false;
  const candidates = ifNoneMatch.split(",").map((tag) => tag.trim());
  return candidates.some((tag) => tag === "*" || tag.replace(/^W\//, "") === etag);
}
