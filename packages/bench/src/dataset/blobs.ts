import { createHash } from "node:crypto";
import { copyFile, link, mkdir, rm, writeFile } from "node:fs/promises";
import { join } from "node:path";
import sharp from "sharp";
import type { StoredPicture } from "./write.ts";

// image-service's FileBlobStore layout (packages/image-service/src/blobs/file-blob-store.ts):
// `<root>/objects/<first 2 hex of sha1(key)>/<key>`, key `<image id>.<rendition>`.
const RENDITIONS = ["original", "thumbnail"] as const;

export function blobPathOf(root: string, key: string): string {
  const shard = createHash("sha1").update(key).digest("hex").slice(0, 2);
  return join(root, "objects", shard, key);
}

/** A small real JPEG, no larger than a thumbnail, so it is both renditions of every image. */
export async function pictureJpeg(): Promise<{ bytes: Buffer; picture: StoredPicture }> {
  const width = 320;
  const height = 240;
  const bytes = await sharp({
    create: { width, height, channels: 3, background: { r: 58, g: 123, b: 213 } },
  })
    .jpeg({ quality: 80 })
    .toBuffer();
  return { bytes, picture: { contentType: "image/jpeg", width, height } };
}

/**
 * Both files of every image, as hard links to one JPEG (fast, and almost no disk). ext4 allows
 * 65 000 links per file, so a fresh copy of the source is made whenever one is full.
 */
export async function linkImageFiles(
  root: string,
  imageIds: readonly string[],
  bytes: Buffer,
  concurrency = 32,
): Promise<void> {
  const scratch = join(root, "scratch");
  await mkdir(scratch, { recursive: true });
  for (let shard = 0; shard < 256; shard++) {
    await mkdir(join(root, "objects", shard.toString(16).padStart(2, "0")), { recursive: true });
  }
  const sources: string[] = [];
  const newSource = async (): Promise<string> => {
    const path = join(scratch, `dataset-source-${sources.length}.jpg`);
    if (sources.length === 0) await writeFile(path, bytes);
    else await copyFile(sources[0] as string, path);
    sources.push(path);
    return path;
  };
  let source = await newSource();
  let linksOnSource = 0;
  let next = 0;
  const total = imageIds.length * RENDITIONS.length;
  const worker = async (): Promise<void> => {
    while (next < total) {
      const at = next++;
      const key = `${imageIds[Math.floor(at / RENDITIONS.length)]}.${RENDITIONS[at % RENDITIONS.length]}`;
      if (++linksOnSource > 60_000) {
        linksOnSource = 1;
        source = await newSource();
      }
      await link(source, blobPathOf(root, key));
    }
  };
  try {
    await Promise.all(Array.from({ length: concurrency }, worker));
  } finally {
    // The links keep the bytes; the sources in scratch/ are no image's file.
    await Promise.all(sources.map((path) => rm(path, { force: true })));
  }
}

/** Removes every image file (a reset; scratch/ is image-service's and left alone). */
export async function removeImageFiles(root: string): Promise<void> {
  await rm(join(root, "objects"), { recursive: true, force: true });
}
