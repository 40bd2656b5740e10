import { describe, expect, it } from "vitest";
import { createTestbed, problemOf } from "../testing/testbed.ts";

describe("GET /v1/feed", () => {
  it("answers my images and my followees', newest first, in pages", async () => {
    const gateway = await createTestbed();
    const alice = await gateway.signedUp("alice");
    const bob = await gateway.signedUp("bob");
    const carol = await gateway.signedUp("carol");
    gateway.world.follows.set(alice.account.id, new Set([bob.account.id]));
    const first = gateway.posted(bob.account, "one");
    gateway.posted(carol.account, "not followed");
    const mine = gateway.posted(alice.account, "mine");
    const third = gateway.posted(bob.account, "three");

    const page1 = await gateway.request("/v1/feed?limit=2", { token: alice.authorization });
    expect(page1.status).toBe(200);
    const body1 = (await page1.json()) as {
      items: { id: string; owner: { username: string } }[];
      nextCursor: string;
    };
    expect(body1.items.map((image) => image.id)).toEqual([third.id, mine.id]);
    expect(body1.items[0]?.owner.username).toBe("bob");
    expect(typeof body1.nextCursor).toBe("string");

    const page2 = await gateway.request(`/v1/feed?limit=2&cursor=${body1.nextCursor}`, {
      token: alice.authorization,
    });
    expect(await page2.json()).toMatchObject({ items: [{ id: first.id }], nextCursor: null });
    expect(gateway.world.received.at(-1)).toEqual({ method: "GetFeed", authorization: alice.authorization });
  });

  it("answers 401 without a token and 400 for a bad limit or cursor", async () => {
    const gateway = await createTestbed();
    const alice = await gateway.signedUp("alice");
    expect((await gateway.request("/v1/feed")).status).toBe(401);
    const badLimit = await gateway.request("/v1/feed?limit=101", { token: alice.authorization });
    expect(badLimit.status).toBe(400);
    expect((await problemOf(badLimit)).errors?.[0]?.path).toBe("limit");
    const badCursor = await gateway.request("/v1/feed?cursor=bad", { token: alice.authorization });
    expect(badCursor.status).toBe(400);
  });
});
