import type { Discovery } from "@instagram/kit";

/**
 * image-service's plain-HTTP side: uploads and file content, which do not travel as Connect calls
 * (a Connect unary call would hold the whole file in memory).
 */
export interface ImageFiles {
  /** The base URL of an image-service instance; undefined when none is available. */
  instance(): Promise<string | undefined>;
  fetch: typeof globalThis.fetch;
}

/** Instances from discovery, taken in turn. */
export function imageFilesVia(
  discovery: Discovery,
  fetch: typeof globalThis.fetch = globalThis.fetch,
): ImageFiles {
  let turn = 0;
  return {
    async instance() {
      const urls = await discovery.resolve("image");
      if (urls.length === 0) return undefined;
      turn = (turn + 1) % 1_000_000;
      return urls[turn % urls.length];
    },
    fetch: (input, init) => fetch(input, init),
  };
}
