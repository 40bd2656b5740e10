import type { Database, Logger } from "@instagram/kit";
import type { BlobStore } from "../blobs/blob-store.ts";
import { dueClaims, settleClaim } from "../db/blob-claims.ts";
import { imageExists } from "../db/images.ts";
import { blobKeyOf, renditions } from "../domain/renditions.ts";

// Background work (this reaper and the timeline trimmer) lives with the use cases, not in events/:
// it is driven by timers and kicks, not by events, and calls db/ and the blob store as they do.

export interface BlobReaper {
  /** One pass; returns how many claims it settled. */
  run(): Promise<number>;
  /** A pass soon (debounced), e.g. after a delete commits. */
  kick(): void;
  stop(): Promise<void>;
}

export interface BlobReaperOptions {
  db: Database;
  blobs: BlobStore;
  logger: Logger;
  /** An "upload" claim younger than this may belong to an upload still in flight; default 1 h. */
  uploadGraceMs?: number;
  /** Scratch files older than this are leftovers of interrupted writes; default 1 h. */
  scratchMaxAgeMs?: number;
  intervalMs?: number;
}

const BATCH = 100;

/**
 * Removes the files of blob claims (see db/schema/blob-claims.ts): "delete" claims at once,
 * "upload" claims once past the grace period and only if no image row exists. Deleting files is
 * idempotent, so a crash mid-pass just repeats work. Also sweeps stale scratch files.
 */
export function startBlobReaper(opts: BlobReaperOptions): BlobReaper {
  const uploadGraceSeconds = (opts.uploadGraceMs ?? 3_600_000) / 1000;
  const scratchMaxAgeMs = opts.scratchMaxAgeMs ?? 3_600_000;
  const logger = opts.logger.child({ component: "blob-reaper" });
  let running: Promise<number> | undefined;
  let kicked: ReturnType<typeof setTimeout> | undefined;
  let stopped = false;

  async function pass(): Promise<number> {
    let settled = 0;
    for (;;) {
      const due = await dueClaims(opts.db, uploadGraceSeconds, BATCH);
      for (const claim of due) {
        if (claim.reason === "delete" || !(await imageExists(opts.db, claim.imageId))) {
          await removeFiles(claim.imageId);
        }
        await settleClaim(opts.db, claim);
        settled++;
      }
      if (due.length < BATCH || stopped) break;
    }
    await opts.blobs.sweepScratch(new Date(Date.now() - scratchMaxAgeMs));
    return settled;
  }

  async function removeFiles(imageId: string): Promise<void> {
    await Promise.all(renditions.map((rendition) => opts.blobs.delete(blobKeyOf(imageId, rendition))));
  }

  let again = false;
  function run(): Promise<number> {
    if (running !== undefined) {
      again = true; // claims committed during this pass get another one
      return running;
    }
    running = (async () => {
      let settled = 0;
      do {
        again = false;
        settled += await pass().catch((error: unknown) => {
          logger.warn({ err: error }, "blob reaper pass failed; retried on the next one");
          return 0;
        });
      } while (again && !stopped);
      return settled;
    })().finally(() => {
      running = undefined;
    });
    return running;
  }

  const timer = setInterval(() => void run(), opts.intervalMs ?? 60_000);

  return {
    run,
    kick() {
      if (stopped || kicked !== undefined) return;
      kicked = setTimeout(() => {
        kicked = undefined;
        void run();
      }, 50);
    },
    async stop() {
      stopped = true;
      clearInterval(timer);
      if (kicked !== undefined) clearTimeout(kicked);
      await running;
    },
  };
}
