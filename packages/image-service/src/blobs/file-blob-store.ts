import { createHash, randomUUID } from "node:crypto";
import { openAsBlob } from "node:fs";
import { mkdir, open, readdir, rename, rm, stat } from "node:fs/promises";
import { dirname, join } from "node:path";
import { assertBlobKey, type BlobStore, type StoredBlob } from "./blob-store.ts";
import { ScratchFile } from "./scratch-file.ts";

/**
 * Blobs as files under `root`: `objects/<2 hex>/<key>` (sharded so no directory grows huge) and
 * `scratch/` for writes in progress and upload spools. A put writes and fsyncs a scratch file, then
 * renames it into place — atomic on one filesystem, so readers never see half a file. A body that
 * is already a complete scratch file (ScratchFile) is fsynced and renamed, not copied.
 */
export class FileBlobStore implements BlobStore {
  readonly scratchDir: string;
  private readonly objectsDir: string;

  constructor(root: string) {
    this.objectsDir = join(root, "objects");
    this.scratchDir = join(root, "scratch");
  }

  async init(): Promise<void> {
    await mkdir(this.objectsDir, { recursive: true });
    await mkdir(this.scratchDir, { recursive: true });
  }

  /** A fresh path in the scratch directory (same filesystem as the objects). */
  scratchPath(suffix: string): string {
    return join(this.scratchDir, `${randomUUID()}.${suffix}`);
  }

  async put(key: string, body: ReadableStream<Uint8Array>): Promise<{ size: number }> {
    const target = this.pathOf(key);
    if (body instanceof ScratchFile) return this.moveIn(await body.written, target);
    const scratch = this.scratchPath("part");
    let size = 0;
    try {
      const file = await open(scratch, "wx");
      try {
        const reader = body.getReader();
        for (let next = await reader.read(); !next.done; next = await reader.read()) {
          size += next.value.byteLength;
          await file.write(next.value);
        }
        await file.sync();
      } finally {
        await file.close();
      }
      await renameInto(scratch, target);
    } catch (error) {
      await rm(scratch, { force: true });
      throw error;
    }
    return { size };
  }

  /** A complete scratch file (same filesystem) made durable and renamed into place: no copy. */
  private async moveIn(scratch: string, target: string): Promise<{ size: number }> {
    if (dirname(scratch) !== this.scratchDir) throw new Error(`${scratch} is not in ${this.scratchDir}`);
    try {
      const file = await open(scratch, "r");
      let size: number;
      try {
        size = (await file.stat()).size;
        await file.sync();
      } finally {
        await file.close();
      }
      await renameInto(scratch, target);
      return { size };
    } catch (error) {
      await rm(scratch, { force: true });
      throw error;
    }
  }

  async open(key: string): Promise<StoredBlob | undefined> {
    const path = this.pathOf(key);
    try {
      // openAsBlob reads lazily (the stream opens the file); stat first: its errors carry no errno.
      await stat(path);
      return await openAsBlob(path);
    } catch (error) {
      if (isMissing(error) || !(await exists(path))) return undefined;
      throw error;
    }
  }

  async delete(key: string): Promise<void> {
    await rm(this.pathOf(key), { force: true });
  }

  async sweepScratch(olderThan: Date): Promise<number> {
    let removed = 0;
    for (const name of await readdir(this.scratchDir).catch(() => [])) {
      const path = join(this.scratchDir, name);
      try {
        if ((await stat(path)).mtime < olderThan) {
          await rm(path, { force: true });
          removed++;
        }
      } catch (error) {
        if (!isMissing(error)) throw error;
      }
    }
    return removed;
  }

  async ping(): Promise<void> {
    await stat(this.objectsDir);
  }

  private pathOf(key: string): string {
    assertBlobKey(key);
    const shard = createHash("sha1").update(key).digest("hex").slice(0, 2);
    return join(this.objectsDir, shard, key);
  }
}

/** Renames, making the shard directory only when it is missing (once per shard). */
async function renameInto(from: string, to: string): Promise<void> {
  try {
    await rename(from, to);
  } catch (error) {
    if (!isMissing(error)) throw error;
    await mkdir(dirname(to), { recursive: true });
    await rename(from, to);
  }
}

async function exists(path: string): Promise<boolean> {
  return stat(path).then(
    () => true,
    () => false,
  );
}

function isMissing(error: unknown): boolean {
  return typeof error === "object" && error !== null && (error as { code?: unknown }).code === "ENOENT";
}
