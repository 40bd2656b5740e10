import type { StoredBlob } from "../blobs/blob-store.ts";
import { contentTypeOfImage } from "../db/images.ts";
import { imageNotFound } from "../domain/errors.ts";
import { blobKeyOf, type Rendition } from "../domain/renditions.ts";
import type { ImageStore } from "./image-store.ts";

/** The stored content type of an image's files; not-found when there is no such image. */
export async function contentTypeOf(store: ImageStore, imageId: string): Promise<string> {
  const contentType = await contentTypeOfImage(store.db, imageId);
  if (contentType === undefined) throw imageNotFound();
  return contentType;
}

/** One rendition's file; not-found when it went (deleted after its row was read). */
export async function openRendition(
  store: ImageStore,
  imageId: string,
  rendition: Rendition,
): Promise<StoredBlob> {
  const blob = await store.blobs.open(blobKeyOf(imageId, rendition));
  if (blob === undefined) throw imageNotFound();
  return blob;
}
