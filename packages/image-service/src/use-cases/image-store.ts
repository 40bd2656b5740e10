import type { Database, Logger, Outbox } from "@instagram/kit";
import type { BlobStore } from "../blobs/blob-store.ts";
import type { FeedPolicy } from "../domain/feed-policy.ts";

/** What the image use cases share. */
export interface ImageStore {
  db: Database;
  outbox: Outbox;
  blobs: BlobStore;
  logger: Logger;
  /** How the feed is kept (timeline horizon, fan-out limit). */
  feedPolicy: FeedPolicy;
  /** Asks the blob reaper to look at fresh claims now (after a delete commits). */
  kickReaper(): void;
}
