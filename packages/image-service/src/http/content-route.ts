import { DomainError, isUuid, problemResponseOf } from "@instagram/kit";
import type { Hono } from "hono";
import { imageNotFound } from "../domain/errors.ts";
import { blobKeyOf, etagOf, isRendition, matchesEtag } from "../domain/renditions.ts";
import { contentTypeOf, openRendition } from "../use-cases/content.ts";
import type { ImageStore } from "../use-cases/image-store.ts";

export const CONTENT_PATH = "/v1/images/:id/content";

const badSize = "size must be original or thumbnail";

/**
 * GET /v1/images/{id}/content?size=original|thumbnail (default original) — public: image ids are
 * unguessable, like a CDN's URLs. Streams the file; files never change, so the ETag is strong and
 * the response cacheable forever; If-None-Match → 304 without touching the file.
 */
export function mountContentRoute(app: Hono, store: ImageStore): void {
  app.get(CONTENT_PATH, async (c) => {
    try {
      const id = c.req.param("id");
      const size = c.req.query("size") ?? "original";
      if (!isRendition(size)) {
        throw new DomainError("invalid-input", badSize, {
          fieldErrors: [{ path: "size", message: badSize }],
        });
      }
      if (!isUuid(id)) throw imageNotFound();
      const etag = etagOf(id, size);
      const headers: Record<string, string> = {
        etag,
        "cache-control": "public, max-age=31536000, immutable",
        "content-type": await contentTypeOf(store, id),
        "x-content-type-options": "nosniff",
      };
      if (matchesEtag(c.req.header("if-none-match"), etag))
        return new Response(null, { status: 304, headers });
      if (store.blobs.presignedUrl !== undefined) {
        // The object store serves the bytes; the redirect is cached no longer than its URL lives.
        const location = await store.blobs.presignedUrl(blobKeyOf(id, size), headers["content-type"] ?? "");
        return new Response(null, {
          status: 307,
          headers: { location, "cache-control": "private, max-age=60" },
        });
      }
      const blob = await openRendition(store, id, size);
      headers["content-length"] = String(blob.size);
      return new Response(blob.stream(), { status: 200, headers });
    } catch (error) {
      return problemResponseOf(error, store.logger);
    }
  });
}
