import { timestampFromDate } from "@bufbuild/protobuf/wkt";
import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { owners, timelineEntries } from "../db/schema/index.ts";
import { rebuildTimelines } from "../db/timelines.ts";
import { feedPolicy } from "../domain/feed-policy.ts";
import { createTestbed, type Testbed } from "../testing/testbed.ts";

// Past 2 followers an account is no longer fanned out on write: its new images are read.
let bed: Testbed;

beforeAll(async () => {
  bed = await createTestbed({ feedPolicy: feedPolicy({ timelineDays: 30, fanOutLimit: 2 }) });
});
afterAll(async () => {
  await bed.close();
});

const upload = (userId: string, caption = ""): Promise<string> => bed.post(userId, caption);

const follow = (followerId: string, followeeId: string) =>
  bed.deliver("users", "FOLLOWED", followerId, {
    followerId,
    followeeId,
    followedAt: timestampFromDate(new Date()),
  });
const unfollow = (followerId: string, followeeId: string) =>
  bed.deliver("users", "UNFOLLOWED", followerId, { followerId, followeeId });

async function everyPage(readerId: string, limit: number): Promise<string[]> {
  const seen: string[] = [];
  let cursor = "";
  for (let pages = 0; pages < 50; pages++) {
    const page = await bed.client.getFeed({ page: { limit, cursor } }, await bed.as(readerId));
    seen.push(...page.images.map((image) => image.id));
    if (page.nextCursor === "") return seen;
    cursor = page.nextCursor;
  }
  throw new Error("more than 50 pages");
}

async function ownerRow(userId: string) {
  const [row] = await bed.db.select().from(owners).where(eq(owners.userId, userId));
  return row;
}

async function timelineCount(userId: string): Promise<number> {
  return (await bed.db.select().from(timelineEntries).where(eq(timelineEntries.userId, userId))).length;
}

describe("GetFeed past the fan-out limit", () => {
  it("merges a popular account's new images on read, in order, page after page", async () => {
    const star = await bed.createUser("star");
    const fans = [await bed.createUser("fan1"), await bed.createUser("fan2"), await bed.createUser("fan3")];
    const other = await bed.createUser("other");
    const [fan1, fan2, fan3] = fans as [string, string, string];
    await follow(fan1, other);
    await follow(fan2, other);
    await follow(fan1, star);
    await follow(fan2, star);
    const posted: string[] = [];
    posted.push(await upload(star), await upload(other));
    expect((await ownerRow(star))?.fanOutStoppedAt).toBeNull();

    await follow(fan3, star); // the third follower: past the limit
    const star3 = await ownerRow(star);
    expect(star3?.followersCount).toBe(3);
    expect(star3?.fanOutStoppedAt).toBeInstanceOf(Date);

    for (let i = 0; i < 3; i++) posted.push(await upload(star), await upload(other));
    const everything = [...posted].reverse();
    const starImages = posted.filter((_, i) => i % 2 === 0).reverse();
    // In timelines: star's image from before the stop, and other's four; star's later three are read.
    expect(await Promise.all(fans.map(timelineCount))).toEqual([5, 5, 1]);
    for (const limit of [1, 2, 3, 5, 8, 20]) {
      expect(await everyPage(fan1, limit), `limit ${limit}`).toEqual(everything);
      expect(await everyPage(fan3, limit), `limit ${limit}`).toEqual(starImages);
    }

    // Unfollowing takes both kinds away; the count drops, fan-out stays stopped.
    await unfollow(fan3, star);
    expect(await everyPage(fan3, 3)).toEqual([]);
    expect(await ownerRow(star)).toMatchObject({ followersCount: 2, fanOutStoppedAt: expect.any(Date) });

    // A new follower gets the old image backfilled and the new ones read.
    const late = await bed.createUser("late");
    await follow(late, star);
    expect(await everyPage(late, 2)).toEqual(starImages);

    // The bulk rebuild reaches the same timelines and counts.
    const before = await Promise.all([...fans, late].map(timelineCount));
    await rebuildTimelines(bed.db, { horizon: new Date(Date.now() - 86_400_000), fanOutLimit: 2 });
    expect(await Promise.all([...fans, late].map(timelineCount))).toEqual(before);
    expect((await ownerRow(star))?.followersCount).toBe(3);

    // The deleted follower's edges leave the counts.
    await bed.deleteUser(late, "late");
    expect((await ownerRow(star))?.followersCount).toBe(2);
  });
});
