import { describe, expect, it } from "vitest";
import type { Client, Page, PageQuery, Profile, Reply } from "./client.ts";
import { eventually } from "./eventually.ts";
import { newPeople, newPerson, uniqueUsername } from "./people.ts";
import { expectProblem } from "./problems.ts";
import { gateway } from "./stack.ts";

type Lister = (username: string, page: PageQuery) => Promise<Reply<Page<Profile>>>;

async function everyPage(list: Lister, username: string, limit = 100): Promise<Profile[]> {
  const items: Profile[] = [];
  let cursor: string | undefined;
  for (let pages = 0; pages < 100; pages += 1) {
    const page = await list(username, { limit, cursor });
    expect(page.status, page.text).toBe(200);
    items.push(...page.body.items);
    if (page.body.nextCursor === null) return items;
    cursor = page.body.nextCursor;
  }
  throw new Error("more than 100 pages");
}

async function counts(viewer: Client, username: string): Promise<[number, number]> {
  const profile = await viewer.profile(username);
  expect(profile.status, profile.text).toBe(200);
  return [profile.body.followersCount, profile.body.followingCount];
}

describe("follow graph", () => {
  const api = gateway();

  it("follows and unfollows idempotently, with exact counters", async () => {
    const [fan, star] = await newPeople(api, 2, { prefix: "fol" });
    for (let i = 0; i < 2; i += 1) {
      const put = await fan!.client.follow(star!.username);
      expect(put.status, put.text).toBe(204);
    }
    expect(await counts(fan!.client, star!.username)).toEqual([1, 0]);
    expect(await counts(fan!.client, fan!.username)).toEqual([0, 1]);
    const followers = await everyPage(fan!.client.followers.bind(fan!.client), star!.username);
    expect(followers.map((p) => p.username)).toEqual([fan!.username]);
    const following = await everyPage(star!.client.following.bind(star!.client), fan!.username);
    expect(following.map((p) => p.username)).toEqual([star!.username]);

    for (let i = 0; i < 2; i += 1) {
      const del = await fan!.client.unfollow(star!.username);
      expect(del.status, del.text).toBe(204);
    }
    expect(await counts(fan!.client, star!.username)).toEqual([0, 0]);
    expect(await counts(fan!.client, fan!.username)).toEqual([0, 0]);
    expect(await everyPage(fan!.client.followers.bind(fan!.client), star!.username)).toEqual([]);
  });

  it("refuses following yourself (400) and unknown users (404)", async () => {
    const person = await newPerson(api, { prefix: "self" });
    expectProblem(await person.client.follow(person.username), 400);
    const ghost = uniqueUsername("ghost");
    expectProblem(await person.client.follow(ghost), 404);
    expectProblem(await person.client.unfollow(ghost), 404);
    expectProblem(await person.client.followers(ghost), 404);
    expectProblem(await person.client.following(ghost), 404);
    expectProblem(await api.follow(person.username), 401);
  });

  it("tells whether I follow someone (followedByMe), on profiles and in lists", async () => {
    const [me, them, third] = await newPeople(api, 3, { prefix: "fbm" });
    expect((await me!.client.profile(them!.username)).body.followedByMe).toBe(false);
    await me!.client.follow(them!.username);
    await third!.client.follow(them!.username);
    expect((await me!.client.profile(them!.username)).body.followedByMe).toBe(true);
    expect((await third!.client.profile(me!.username)).body.followedByMe).toBe(false);

    // In their followers list, seen by me: I do not follow myself, and I do not follow `third`.
    const followers = await everyPage(me!.client.followers.bind(me!.client), them!.username);
    expect(Object.fromEntries(followers.map((p) => [p.username, p.followedByMe]))).toEqual({
      [me!.username]: false,
      [third!.username]: false,
    });
    await me!.client.follow(third!.username);
    const again = await everyPage(me!.client.followers.bind(me!.client), them!.username);
    expect(again.find((p) => p.username === third!.username)?.followedByMe).toBe(true);
    const mine = await everyPage(me!.client.following.bind(me!.client), me!.username);
    expect(mine.every((p) => p.followedByMe)).toBe(true);
    expect(mine).toHaveLength(2);
  });

  it("pages followers with a cursor while new edges keep arriving: no duplicates, nothing skipped", {
    timeout: 120_000,
  }, async () => {
    const star = await newPerson(api, { prefix: "pg" });
    const early = await newPeople(api, 13, { prefix: "pge" });
    const late = await newPeople(api, 6, { prefix: "pgl" });
    for (const fan of early) expect((await fan.client.follow(star.username)).status).toBe(204);

    const pending = [...late];
    const seen: string[] = [];
    let cursor: string | undefined;
    let pages = 0;
    do {
      const page = await star.client.followers(star.username, { limit: 4, cursor });
      expect(page.status, page.text).toBe(200);
      expect(page.body.items.length).toBeLessThanOrEqual(4);
      seen.push(...page.body.items.map((p) => p.username));
      cursor = page.body.nextCursor ?? undefined;
      // Two new followers between page fetches.
      for (const fan of pending.splice(0, 2))
        expect((await fan.client.follow(star.username)).status).toBe(204);
      pages += 1;
    } while (cursor !== undefined && pages < 20);

    expect(new Set(seen).size).toBe(seen.length);
    for (const fan of early) expect(seen).toContain(fan.username);
    const everyone = await everyPage(star.client.followers.bind(star.client), star.username, 5);
    const followed = early.length + late.length - pending.length;
    expect(everyone).toHaveLength(followed);
    expect(new Set(everyone.map((p) => p.id)).size).toBe(followed);
  });

  it("counts exactly after 50 concurrent follows of one user", { timeout: 120_000 }, async () => {
    const star = await newPerson(api, { prefix: "pop" });
    const fans = await newPeople(api, 50, { prefix: "popf" });
    const replies = await Promise.all(fans.map((fan) => fan.client.follow(star.username)));
    expect(replies.map((r) => r.status)).toEqual(fans.map(() => 204));
    // and again, concurrently: still one edge each
    await Promise.all(fans.slice(0, 10).map((fan) => fan.client.follow(star.username)));

    expect(await counts(star.client, star.username)).toEqual([50, 0]);
    const followers = await everyPage(star.client.followers.bind(star.client), star.username, 7);
    expect(new Set(followers.map((p) => p.username))).toEqual(new Set(fans.map((f) => f.username)));
    expect(followers).toHaveLength(50);
  });

  it("removes a deleted account's edges in both directions, and the other side's counters drop", async () => {
    const [leaving, friend, fan] = await newPeople(api, 3, { prefix: "gone" });
    await leaving!.client.follow(friend!.username);
    await friend!.client.follow(leaving!.username);
    await fan!.client.follow(leaving!.username);
    expect(await counts(fan!.client, friend!.username)).toEqual([1, 1]);
    expect(await counts(fan!.client, fan!.username)).toEqual([0, 1]);

    expect((await leaving!.client.deleteAccount(leaving!.password)).status).toBe(204);

    await eventually(async () => {
      expect(await counts(fan!.client, friend!.username)).toEqual([0, 0]);
      expect(await counts(fan!.client, fan!.username)).toEqual([0, 0]);
    });
    expect(await everyPage(fan!.client.followers.bind(fan!.client), friend!.username)).toEqual([]);
    expect(await everyPage(fan!.client.following.bind(fan!.client), friend!.username)).toEqual([]);
    expect(await everyPage(friend!.client.following.bind(friend!.client), fan!.username)).toEqual([]);
  });
});
