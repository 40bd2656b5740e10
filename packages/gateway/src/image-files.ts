import type { Discovery } from "@instagram/kit";

/** How long image-service may keep the gateway waiting, at a stretch, before the client gets a 504. */
export interface ImageFileWaits {
  /** For an upload: to take the next chunk of the body, and to answer once it has all of it. */
  uploadMs: number;
  /** For a file: to answer with its headers (the bytes then stream at the client's pace). */
  contentMs: number;
}

// Generous for uploads: processing a 20 MiB image under load can take tens of seconds, and a 504
// for an upload that then succeeds invites a retry that stores it twice.
export const defaultImageFileWaits: ImageFileWaits = { uploadMs: 120_000, contentMs: 10_000 };

/**
 * image-service's plain-HTTP side: uploads and file content, which do not travel as Connect calls
 * (a Connect unary call would hold the whole file in memory).
 */
export interface ImageFiles {
  /** The base URL of an image-service instance; undefined when none is available. */
  instance(): Promise<string | undefined>;
  fetch: typeof globalThis.fetch;
  waits: ImageFileWaits;
}

/** Instances from discovery, taken in turn. */
export function imageFilesVia(
  discovery: Discovery,
  opts: { fetch?: typeof globalThis.fetch; waits?: Partial<ImageFileWaits> } = {},
): ImageFiles {
  const fetch = opts.fetch ?? globalThis.fetch;
  let turn = 0;
  return {
    async instance() {
      const urls = await discovery.resolve("image");
      if (urls.length === 0) return undefined;
      turn = (turn + 1) % 1_000_000;
      return urls[turn % urls.length];
    },
    fetch: (input, init) => fetch(input, init),
    waits: { ...defaultImageFileWaits, ...opts.waits },
  };
}
