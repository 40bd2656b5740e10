import { Code } from "@connectrpc/connect";
import { fieldErrorsOf } from "@instagram/kit";
import { connectFailure as failure } from "@instagram/kit/testing";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { createTestbed, type Testbed, type TestUser } from "../testing/testbed.ts";

let testbed: Testbed;
beforeAll(async () => {
  testbed = await createTestbed();
});
beforeEach(async () => {
  await testbed.reset();
});
afterAll(async () => {
  await testbed?.close();
});

async function counts(username: string) {
  const p = (await testbed.client().getProfile({ key: { case: "username", value: username } })).profile!;
  return { followers: Number(p.followersCount), following: Number(p.followingCount) };
}

async function users(prefix: string, n: number): Promise<TestUser[]> {
  const made: TestUser[] = [];
  for (let i = 0; i < n; i++) made.push(await testbed.signUp(`${prefix}${String(i).padStart(3, "0")}`));
  return made;
}

describe("Follow / Unfollow", () => {
  it("follows once, counts on both sides, and publishes users.FOLLOWED keyed by the follower", async () => {
    const ann = await testbed.signUp("ann");
    const bob = await testbed.signUp("bob");
    await ann.client.follow({ username: "BOB" });
    await ann.client.follow({ username: "bob" }); // idempotent

    expect(await counts("ann")).toEqual({ followers: 0, following: 1 });
    expect(await counts("bob")).toEqual({ followers: 1, following: 0 });
    const followed = await testbed.published({ type: "FOLLOWED" });
    expect(followed).toHaveLength(1);
    expect(followed[0]).toMatchObject({
      topic: "users",
      aggregateId: ann.id,
      payload: { followerId: ann.id, followeeId: bob.id },
    });
    expect(followed[0]?.payload.followedAt).toBeDefined();
  });

  it("unfollows once, drops both counters, and publishes users.UNFOLLOWED once", async () => {
    const ann = await testbed.signUp("ann");
    const bob = await testbed.signUp("bob");
    await ann.client.follow({ username: "bob" });
    await ann.client.unfollow({ username: "bob" });
    await ann.client.unfollow({ username: "bob" }); // idempotent

    expect(await counts("ann")).toEqual({ followers: 0, following: 0 });
    expect(await counts("bob")).toEqual({ followers: 0, following: 0 });
    const unfollowed = await testbed.published({ type: "UNFOLLOWED" });
    expect(unfollowed).toEqual([
      {
        topic: "users",
        type: "UNFOLLOWED",
        aggregateId: ann.id,
        payload: { followerId: ann.id, followeeId: bob.id },
      },
    ]);
    // Following again after an unfollow is a new edge.
    await ann.client.follow({ username: "bob" });
    expect(await counts("bob")).toEqual({ followers: 1, following: 0 });
    expect(await testbed.published({ type: "FOLLOWED" })).toHaveLength(2);
  });

  it("refuses to follow yourself (InvalidArgument on username); unfollowing yourself is a no-op", async () => {
    const ann = await testbed.signUp("ann");
    const error = await failure(ann.client.follow({ username: "Ann" }));
    expect(error.code).toBe(Code.InvalidArgument);
    expect(fieldErrorsOf(error)).toEqual([{ path: "username", message: "you cannot follow yourself" }]);
    await ann.client.unfollow({ username: "ann" });
    expect(await counts("ann")).toEqual({ followers: 0, following: 0 });
    expect(await testbed.published({ type: "FOLLOWED" })).toEqual([]);
  });

  it("answers NotFound for unknown users, InvalidArgument for illegal names, Unauthenticated without a caller", async () => {
    const ann = await testbed.signUp("ann");
    await testbed.signUp("bob");
    expect((await failure(ann.client.follow({ username: "ghost" }))).code).toBe(Code.NotFound);
    expect((await failure(ann.client.unfollow({ username: "ghost" }))).code).toBe(Code.NotFound);
    expect((await failure(ann.client.follow({ username: "b@b" }))).code).toBe(Code.InvalidArgument);
    expect((await failure(testbed.client().follow({ username: "bob" }))).code).toBe(Code.Unauthenticated);
    expect((await failure(testbed.client().unfollow({ username: "bob" }))).code).toBe(Code.Unauthenticated);
  });

  it("answers NotFound when the caller's own profile does not exist (yet)", async () => {
    await testbed.signUp("bob");
    const early = testbed.client("0192f0a4-8b1c-7def-8123-456789abcdef");
    expect((await failure(early.follow({ username: "bob" }))).code).toBe(Code.NotFound);
    expect(await counts("bob")).toEqual({ followers: 0, following: 0 });
  });
});

describe("ListFollowers / ListFollowing", () => {
  it("lists newest edge first with followedByMe for the caller", async () => {
    const [star, a, b, c] = await users("u", 4);
    for (const fan of [a!, b!, c!]) await fan.client.follow({ username: star!.username });
    await a!.client.follow({ username: c!.username });

    const seenByA = await a!.client.listFollowers({ username: star!.username });
    expect(seenByA.profiles.map((p) => [p.username, p.followedByMe])).toEqual([
      [c!.username, true],
      [b!.username, false],
      [a!.username, false],
    ]);
    expect(seenByA.nextCursor).toBe("");
    const anonymous = await testbed.client().listFollowers({ username: star!.username });
    expect(anonymous.profiles.every((p) => !p.followedByMe)).toBe(true);

    const following = await star!.client.listFollowing({ username: a!.username });
    expect(following.profiles.map((p) => p.username)).toEqual([c!.username, star!.username]);
    expect((await testbed.client().listFollowing({ username: star!.username })).profiles).toEqual([]);
  });

  it("pages without duplicates or skips while edges are added and removed between pages", async () => {
    const [star] = await users("star", 1);
    const fans = await users("fan", 25);
    for (const fan of fans) await fan.client.follow({ username: star!.username });
    // Newest first: fan024 … fan000.
    const expected = fans.map((f) => f.username).reverse();

    const seen: string[] = [];
    const first = await testbed.client().listFollowers({ username: star!.username, page: { limit: 10 } });
    seen.push(...first.profiles.map((p) => p.username));
    expect(first.nextCursor).not.toBe("");

    // Between pages: new followers arrive (newer than the cursor) and an already-seen one leaves.
    const late = await users("late", 5);
    for (const l of late) await l.client.follow({ username: star!.username });
    await fans[24]!.client.unfollow({ username: star!.username });

    const second = await testbed.client().listFollowers({
      username: star!.username,
      page: { limit: 10, cursor: first.nextCursor },
    });
    seen.push(...second.profiles.map((p) => p.username));
    const third = await testbed.client().listFollowers({
      username: star!.username,
      page: { limit: 10, cursor: second.nextCursor },
    });
    seen.push(...third.profiles.map((p) => p.username));
    expect(third.nextCursor).toBe("");

    expect(seen).toEqual(expected);
    expect(new Set(seen).size).toBe(seen.length);
    // A fresh walk sees the new state: the late ones first, fan024 gone.
    const fresh = await testbed.client().listFollowers({ username: star!.username, page: { limit: 100 } });
    expect(fresh.profiles.map((p) => p.username)).toEqual([
      ...late.map((l) => l.username).reverse(),
      ...expected.slice(1),
    ]);
    expect(await counts(star!.username)).toEqual({ followers: 29, following: 0 });
  });

  it("ends exactly at a full last page", async () => {
    const [star, ...fans] = await users("x", 5);
    for (const fan of fans) await fan.client.follow({ username: star!.username });
    const first = await testbed.client().listFollowers({ username: star!.username, page: { limit: 2 } });
    const second = await testbed.client().listFollowers({
      username: star!.username,
      page: { limit: 2, cursor: first.nextCursor },
    });
    expect(second.profiles).toHaveLength(2);
    expect(second.nextCursor).toBe("");
  });

  it("rejects unknown users, bad limits and foreign cursors", async () => {
    const [star] = await users("s", 1);
    const anonymous = testbed.client();
    expect((await failure(anonymous.listFollowers({ username: "ghost" }))).code).toBe(Code.NotFound);
    expect((await failure(anonymous.listFollowing({ username: "ghost" }))).code).toBe(Code.NotFound);
    for (const page of [{ limit: 101 }, { limit: -5 }, { cursor: "%%%" }, { cursor: "WyJhIiwiYiJd" }]) {
      const error = await failure(anonymous.listFollowers({ username: star!.username, page }));
      expect(error.code).toBe(Code.InvalidArgument);
    }
    // A search cursor is not an edge cursor.
    await testbed.signUp("sa");
    await testbed.signUp("sb");
    const search = await anonymous.searchProfiles({ query: "s", page: { limit: 1 } });
    expect(search.nextCursor).not.toBe("");
    expect(
      (
        await failure(
          anonymous.listFollowing({ username: star!.username, page: { cursor: search.nextCursor } }),
        )
      ).code,
    ).toBe(Code.InvalidArgument);
  });
});

describe("ListFolloweeIds", () => {
  it("pages the ids a user follows, newest first, up to 1000 a page", async () => {
    const [fan, ...stars] = await users("f", 6);
    for (const star of stars) await fan!.client.follow({ username: star.username });
    const expected = stars.map((s) => s.id).reverse();

    const all = await testbed.client().listFolloweeIds({ userId: fan!.id, page: { limit: 1000 } });
    expect(all.userIds).toEqual(expected);
    expect(all.nextCursor).toBe("");

    const first = await testbed.client().listFolloweeIds({ userId: fan!.id, page: { limit: 3 } });
    const second = await testbed.client().listFolloweeIds({
      userId: fan!.id,
      page: { limit: 3, cursor: first.nextCursor },
    });
    expect([...first.userIds, ...second.userIds]).toEqual(expected);
    expect(second.nextCursor).toBe("");
  });

  it("answers an empty list for an unknown user and rejects a limit above 1000", async () => {
    const anonymous = testbed.client();
    const unknown = await anonymous.listFolloweeIds({ userId: "0192f0a4-8b1c-7def-8123-456789abcdef" });
    expect(unknown.userIds).toEqual([]);
    expect((await failure(anonymous.listFolloweeIds({ userId: "x", page: { limit: 1001 } }))).code).toBe(
      Code.InvalidArgument,
    );
    expect((await failure(anonymous.listFolloweeIds({ userId: "" }))).code).toBe(Code.InvalidArgument);
  });
});
