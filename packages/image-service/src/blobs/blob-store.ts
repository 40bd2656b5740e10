/** Bytes of a stored blob, read lazily. */
export interface StoredBlob {
  readonly size: number;
  stream(): ReadableStream<Uint8Array>;
}

/**
 * Where image files live (a filesystem directory by default; a shared volume or an S3-compatible
 * store when scaled). Keys are `[A-Za-z0-9._-]+`. Writes are atomic: a reader sees all of a blob or
 * none of it, and a write interrupted by a crash leaves only scratch files that `sweepScratch` removes.
 */
export interface BlobStore {
  put(key: string, body: ReadableStream<Uint8Array>): Promise<{ size: number }>;
  /** undefined when there is no such blob. */
  open(key: string): Promise<StoredBlob | undefined>;
  /** Removing a missing blob is not an error. */
  delete(key: string): Promise<void>;
  /** Removes scratch files of interrupted writes older than `olderThan`; returns how many. */
  sweepScratch(olderThan: Date): Promise<number>;
  ping(): Promise<void>;
  /** A short-lived URL to read the blob straight from the store, when content is served that way (S3). */
  presignedUrl?(key: string, contentType: string): Promise<string>;
}

const KEY = /^[A-Za-z0-9_-][A-Za-z0-9._-]{0,199}$/;

export function assertBlobKey(key: string): void {
  if (!KEY.test(key)) throw new Error(`invalid blob key ${JSON.stringify(key)}`);
}
