import { timestampFromDate } from "@bufbuild/protobuf/wkt";
import { Code } from "@connectrpc/connect";
import { connectFailure } from "@instagram/kit/testing";
import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { listFeedImages } from "../db/image-records.ts";
import { images, timelineEntries } from "../db/schema/index.ts";
import { rebuildTimelines } from "../db/timelines.ts";
import { createTestbed, type Testbed } from "../testing/testbed.ts";

let bed: Testbed;

beforeAll(async () => {
  bed = await createTestbed();
});
afterAll(async () => {
  await bed.close();
});

const upload = (userId: string, caption = ""): Promise<string> => bed.post(userId, caption);

function follow(followerId: string, followeeId: string): Promise<void> {
  return bed.deliver("users", "FOLLOWED", followerId, {
    followerId,
    followeeId,
    followedAt: timestampFromDate(new Date()),
  });
}

function unfollow(followerId: string, followeeId: string): Promise<void> {
  return bed.deliver("users", "UNFOLLOWED", followerId, { followerId, followeeId });
}

async function feedIds(readerId: string, limit = 100): Promise<string[]> {
  const { images: page } = await bed.client.getFeed({ page: { limit } }, await bed.as(readerId));
  return page.map((image) => image.id);
}

async function timelineOf(userId: string): Promise<string[]> {
  const rows = await bed.db
    .select({ imageId: timelineEntries.imageId })
    .from(timelineEntries)
    .where(eq(timelineEntries.userId, userId));
  return rows.map((row) => row.imageId).sort();
}

describe("GetFeed", () => {
  it("answers my images and my followees', newest first, hydrated, and nobody else's", async () => {
    const [ann, ben, cat] = [
      await bed.createUser("ann"),
      await bed.createUser("ben"),
      await bed.createUser("cat"),
    ];
    await follow(ann, ben);
    const b1 = await upload(ben, "first");
    const c1 = await upload(cat, "not followed");
    const a1 = await upload(ann, "mine");
    const b2 = await upload(ben, "second");
    await bed.client.likeImage({ id: b2 }, await bed.as(ann));

    const { images: page } = await bed.client.getFeed({ page: { limit: 10 } }, await bed.as(ann));
    expect(page.map((image) => image.id)).toEqual([b2, a1, b1]);
    expect(page[0]).toMatchObject({ owner: { id: ben, username: "ben" }, likedByMe: true, likesCount: 1n });
    expect(await feedIds(cat)).toEqual([c1]);
  });

  it("backfills a followee's images on follow and removes them on unfollow", async () => {
    const [dan, eve] = [await bed.createUser("dan"), await bed.createUser("eve")];
    const e1 = await upload(eve);
    const e2 = await upload(eve);
    expect(await feedIds(dan)).toEqual([]);
    await follow(dan, eve);
    expect(await feedIds(dan)).toEqual([e2, e1]);
    await follow(dan, eve); // a second FOLLOWED (another event id) changes nothing
    expect(await feedIds(dan)).toEqual([e2, e1]);
    await unfollow(dan, eve);
    expect(await feedIds(dan)).toEqual([]);
    expect(await timelineOf(dan)).toEqual([]);
  });

  it("drops a deleted image from every feed at once", async () => {
    const [fay, gus] = [await bed.createUser("fay"), await bed.createUser("gus")];
    await follow(gus, fay);
    const f1 = await upload(fay);
    const f2 = await upload(fay);
    expect(await feedIds(gus)).toEqual([f2, f1]);
    await bed.client.deleteImage({ id: f2 }, await bed.as(fay));
    expect(await feedIds(gus)).toEqual([f1]);
    expect(await feedIds(fay)).toEqual([f1]);
  });

  it("forgets a deleted user's edges, timeline and images, and ignores a late follow of them", async () => {
    const [hal, ida, jon] = [
      await bed.createUser("hal"),
      await bed.createUser("ida"),
      await bed.createUser("jon"),
    ];
    await follow(hal, ida);
    await follow(ida, jon);
    await upload(ida);
    const j1 = await upload(jon);
    await bed.deleteUser(ida, "ida");
    expect(await feedIds(hal)).toEqual([]);
    expect(await timelineOf(ida)).toEqual([]);
    await follow(jon, ida); // arrives after the deletion (another partition)
    expect(await feedIds(jon)).toEqual([j1]);
  });

  it("pages without gaps or repeats across the timeline horizon", async () => {
    const [kim, lou] = [await bed.createUser("kim"), await bed.createUser("lou")];
    await follow(kim, lou);
    const uploaded: string[] = [];
    for (let i = 0; i < 7; i++) uploaded.push(await upload(i % 2 === 0 ? lou : kim));
    const newestFirst = [...uploaded].reverse();
    // Entries older than the horizon are read from the follow graph, not the timeline.
    const rows = await bed.db
      .select({ createdAt: images.createdAt })
      .from(images)
      .where(eq(images.id, uploaded[3] ?? ""));
    const horizon = rows[0]?.createdAt ?? new Date();
    for (const limit of [1, 2, 3, 4, 7, 8]) {
      const seen: string[] = [];
      let after: { createdAt: Date; id: string } | undefined;
      for (let pages = 0; pages < 10; pages++) {
        const page = await listFeedImages(bed.db, { readerId: kim, limit, after, horizon });
        seen.push(...page.items.map((image) => image.id));
        after = page.next;
        if (after === undefined) break;
      }
      expect(seen, `limit ${limit}`).toEqual(newestFirst);
    }
  });

  it("rebuilds timelines in bulk to what the events built", async () => {
    const [may, ned] = [await bed.createUser("may"), await bed.createUser("ned")];
    await follow(may, ned);
    await upload(ned);
    await upload(may);
    const before = await timelineOf(may);
    expect(before).toHaveLength(2);
    await rebuildTimelines(bed.db, { horizon: new Date(Date.now() - 86_400_000) });
    expect(await timelineOf(may)).toEqual(before);
  });

  it("refuses a bad cursor and an anonymous call", async () => {
    const oli = await bed.createUser("oli");
    const bad = await connectFailure(bed.client.getFeed({ page: { cursor: "nope" } }, await bed.as(oli)));
    expect(bad.code).toBe(Code.InvalidArgument);
    expect((await connectFailure(bed.client.getFeed({}))).code).toBe(Code.Unauthenticated);
  });
});
