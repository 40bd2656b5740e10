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
export interface ImageServiceHttp {
  /** The base URL of an image-service instance; undefined when none is available. */
  instance(): Promise<string | undefined>;
  fetch: typeof globalThis.fetch;
  waits: ImageFileWaits;
  /** Streams uploads on the server's own request and response where the runtime offers them (Node). */
  uploads?: UploadRelay;
}

/** One client upload on its way to image-service. */
export interface RelayedUpload {
  url: URL;
  headers: Headers;
  /** How long image-service may keep the gateway waiting at a stretch (see UpstreamWait). */
  waitMs: number;
}

/**
 * Carries the client's upload to image-service without web streams, on the runtime's own objects.
 * `send` answers undefined when this request did not come through its runtime (HTTP/2, Deno, tests
 * calling the app directly): the route then uses fetch. It resolves with image-service's answer,
 * read whole (a small JSON body), and rejects with a RelayFailure.
 */
export interface UploadRelay {
  send(env: unknown, upload: RelayedUpload): Promise<Response> | undefined;
}

/** Why a relay gave up: image-service too slow (504), unreachable (503), or the client gone. */
export class RelayFailure extends Error {
  override name = "RelayFailure";
  constructor(
    readonly kind: "slow" | "unreachable" | "client-gone",
    options?: ErrorOptions,
  ) {
    super(`upload relay: ${kind}`, options);
  }
}

/** Instances from discovery, taken in turn. */
export function imageServiceHttpVia(
  discovery: Discovery,
  opts: { fetch?: typeof globalThis.fetch; waits?: Partial<ImageFileWaits>; uploads?: UploadRelay } = {},
): ImageServiceHttp {
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
    uploads: opts.uploads,
  };
}
