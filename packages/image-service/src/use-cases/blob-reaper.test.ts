import { eq, sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { blobClaims } from "../db/schema/index.ts";
import { blobKeyOf } from "../domain/renditions.ts";
import { photoJpeg, streamOf } from "../processing/test-images.ts";
import { createTestbed, type Testbed } from "../testing/testbed.ts";

let bed: Testbed;

beforeAll(async () => {
  bed = await createTestbed();
});
afterAll(async () => {
  await bed.close();
});

/** What a crash between writing an upload's files and committing its row leaves behind. */
async function crashedUpload(id: string, ageMs: number): Promise<void> {
  await bed.db
    .insert(blobClaims)
    .values({ imageId: id, reason: "upload", since: new Date(Date.now() - ageMs) });
  await bed.blobs.put(blobKeyOf(id, "original"), streamOf(new Uint8Array(100)));
  await bed.blobs.put(blobKeyOf(id, "thumbnail"), streamOf(new Uint8Array(10)));
}

const filesOf = async (id: string) => (await bed.blobFiles()).filter((file) => file.startsWith(id));

describe("blob reaper", () => {
  it("removes the files of an upload that never committed, once past the grace period", async () => {
    const stale = "0193a000-0000-7000-8000-0000000000a1";
    const inFlight = "0193a000-0000-7000-8000-0000000000a2";
    await crashedUpload(stale, 2 * 3600_000);
    await crashedUpload(inFlight, 60_000);

    await bed.runReaper();

    expect(await filesOf(stale)).toEqual([]);
    expect(await filesOf(inFlight)).toHaveLength(2);
    const claims = await bed.db.select({ imageId: blobClaims.imageId }).from(blobClaims);
    expect(claims.map((claim) => claim.imageId)).toEqual([inFlight]);
    await bed.db.delete(blobClaims).where(eq(blobClaims.imageId, inFlight));
  });

  it("never removes the files of an image whose row exists", async () => {
    const owner = await bed.createUser("keeper");
    const response = await bed.upload(owner, await photoJpeg(20, 20));
    const { id } = (await response.json()) as { id: string };
    // a claim that should not exist any more (as if its deletion had been lost)
    await bed.db
      .insert(blobClaims)
      .values({ imageId: id, reason: "upload", since: sql`now() - interval '2 hours'` });

    await bed.runReaper();

    expect(await filesOf(id)).toHaveLength(2);
    expect(await bed.db.select().from(blobClaims)).toEqual([]);
    const content = await bed.app.request(`/v1/images/${id}/content?size=thumbnail`);
    expect(content.status).toBe(200);
    await content.arrayBuffer();
  });

  it("finishes a delete whose files outlived a crash after commit", async () => {
    const id = "0193a000-0000-7000-8000-0000000000a3";
    await bed.blobs.put(blobKeyOf(id, "original"), streamOf(new Uint8Array(5)));
    await bed.db.insert(blobClaims).values({ imageId: id, reason: "delete" });
    expect(await bed.runReaper()).toBe(1);
    expect(await filesOf(id)).toEqual([]);
  });
});
