import { readdir } from "node:fs/promises";
import { join } from "node:path";

/** The renditions image-service stores for every image (packages/image-service/src/domain/renditions.ts). */
export const renditions = ["original", "thumbnail"] as const;
export type Rendition = (typeof renditions)[number];

export interface BlobFile {
  /** Path under the blob directory (or the object's key in a bucket), as findings show it. */
  path: string;
  /** The image it belongs to, when its name is `<image id>.<rendition>`. */
  imageId: string | undefined;
  rendition: Rendition | undefined;
}

const NAME = /^([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})\.(original|thumbnail)$/i;

/**
 * Every stored image file: image-service's FileBlobStore keeps them as
 * `<blob dir>/objects/<2 hex>/<image id>.<rendition>` (its `scratch/` holds writes in progress and
 * is not looked at). A missing blob directory holds no files.
 */
export async function listBlobFiles(blobDir: string): Promise<BlobFile[]> {
  const objects = join(blobDir, "objects");
  const files: BlobFile[] = [];
  for (const shard of await entries(objects)) {
    if (!shard.isDirectory()) {
      files.push({ path: join("objects", shard.name), imageId: undefined, rendition: undefined });
      continue;
    }
    for (const file of await entries(join(objects, shard.name))) {
      files.push(blobFileNamed(join("objects", shard.name, file.name), file.name));
    }
  }
  return files;
}

/** The file at `path` (as findings show it) whose own name is `name`. */
export function blobFileNamed(path: string, name: string): BlobFile {
  const match = NAME.exec(name);
  return { path, imageId: match?.[1]?.toLowerCase(), rendition: match?.[2] as Rendition | undefined };
}

async function entries(dir: string) {
  try {
    return await readdir(dir, { withFileTypes: true });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return [];
    throw error;
  }
}
