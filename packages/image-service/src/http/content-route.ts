import { type Database, isUuid } from "@instagram/kit";
import { eq } from "drizzle-orm";
import type { Hono } from "hono";
import type { BlobStore } from "../blobs/blob-store.ts";
import { images } from "../db/schema/index.ts";
import { blobKeyOf, etagOf, isRendition, matchesEtag } from "../domain/renditions.ts";
import { problem } from "./problem.ts";

export const CONTENT_PATH = "/v1/images/:id/content";

/**
 * GET /v1/images/{id}/content?size=original|thumbnail (default original) — public: image ids are
 * unguessable, like a CDN's URLs. Streams the file; files never change, so the ETag is strong and
 * the response cacheable forever; If-None-Match → 304 without touching the file.
 */
export function mountContentRoute(app: Hono, deps: { db: Database; blobs: BlobStore }): void {
  app.get(CONTENT_PATH, async (c) => {
    const id = c.req.param("id");
    const size = c.req.query("size") ?? "original";
    if (!isRendition(size)) {
      return problem(400, "Bad Request", "size must be original or thumbnail", "size");
    }
    const notFound = () => problem(404, "Not Found", "image not found");
    if (!isUuid(id)) return notFound();
    const [image] = await deps.db
      .select({ contentType: images.contentType })
      .from(images)
      .where(eq(images.id, id));
    if (image === undefined) return notFound();
    const etag = etagOf(id, size);
    const headers: Record<string, string> = {
      etag,
      "cache-control": "public, max-age=31536000, immutable",
      "content-type": image.contentType,
      "x-content-type-options": "nosniff",
    };
    if (matchesEtag(c.req.header("if-none-match"), etag)) return new Response(null, { status: 304, headers });
    const blob = await deps.blobs.open(blobKeyOf(id, size));
    if (blob === undefined) return notFound(); // deleted between the row check and now
    headers["content-length"] = String(blob.size);
    return new Response(blob.stream(), { status: 200, headers });
  });
}
