import { beforeAll, describe, expect, it } from "vitest";
import type { Client } from "./client.ts";
import { eventually } from "./eventually.ts";
import { postPicture } from "./gallery.ts";
import { everyPage } from "./pages.ts";
import { newPeople, type Person } from "./people.ts";
import { expectProblem } from "./problems.ts";
import { gateway } from "./stack.ts";

// Follows travel as events (users.FOLLOWED → image-service's read model): allow for the hop.
const settle = { timeoutMs: 15_000, intervalMs: 50 };

async function feedIds(client: Client, limit = 100): Promise<string[]> {
  return (await everyPage((page) => client.feed(page), limit)).map((image) => image.id);
}

async function follow(fan: Person, star: Person): Promise<void> {
  const reply = await fan.client.follow(star.username);
  expect(reply.status, reply.text).toBe(204);
}

describe("home feed", () => {
  const api = gateway();
  let alice: Person;
  let bob: Person;
  let carol: Person;
  let dave: Person;
  beforeAll(async () => {
    [alice, bob, carol, dave] = (await newPeople(api, 4, { prefix: "feed" })) as [
      Person,
      Person,
      Person,
      Person,
    ];
  });

  it("shows my images and my followees', newest first, hydrated, page by page", {
    timeout: 120_000,
  }, async () => {
    await follow(alice, bob);
    await follow(alice, carol);
    const posted = [];
    for (const [i, author] of [bob, dave, alice, carol, bob, dave, carol, alice, bob].entries()) {
      posted.push({ author, image: await postPicture(author.client, `feed ${i}`) });
    }
    const expected = posted
      .filter(({ author }) => author !== dave)
      .map(({ image }) => image.id)
      .reverse();
    const liked = expected[1] ?? "";
    expect((await alice.client.like(liked)).status).toBe(204);

    await eventually(async () => expect(await feedIds(alice.client)).toEqual(expected), settle);
    for (const limit of [1, 2, 3, 7])
      expect(await feedIds(alice.client, limit), `limit ${limit}`).toEqual(expected);

    const first = await alice.client.feed({ limit: 3 });
    expect(first.status, first.text).toBe(200);
    expect(first.body.items[1]).toMatchObject({ id: liked, likedByMe: true, likesCount: 1 });
    expect(first.body.items[0]?.owner.username).toBe(bob.username);
    expect(first.body.items[0]?.urls.thumbnail).toContain("/content?size=thumbnail");

    // A new image between pages changes nothing on the pages that follow.
    const later = await postPicture(bob.client, "later");
    const rest = await everyPage(
      (page) => alice.client.feed({ ...page, cursor: page.cursor ?? first.body.nextCursor ?? "" }),
      2,
    );
    expect(rest.map((image) => image.id)).toEqual(expected.slice(3));
    expect((await alice.client.feed({ limit: 1 })).body.items[0]?.id).toBe(later.id);

    // Dave follows nobody: his feed is his own.
    expect(await feedIds(dave.client)).toEqual(
      posted
        .filter(({ author }) => author === dave)
        .map(({ image }) => image.id)
        .reverse(),
    );
  });

  it("takes in a followee's images after follow, and lets them go after unfollow", {
    timeout: 60_000,
  }, async () => {
    const [fan, star] = (await newPeople(api, 2, { prefix: "fol" })) as [Person, Person];
    const older = await postPicture(star.client, "before the follow");
    const newer = await postPicture(star.client, "also before");
    expect(await feedIds(fan.client)).toEqual([]);

    const followedAt = performance.now();
    await follow(fan, star);
    await eventually(async () => expect(await feedIds(fan.client)).toEqual([newer.id, older.id]), settle);
    const seenAfterMs = performance.now() - followedAt;
    const after = await postPicture(star.client, "after the follow");
    expect(await feedIds(fan.client)).toEqual([after.id, newer.id, older.id]);

    expect((await fan.client.unfollow(star.username)).status).toBe(204);
    await eventually(async () => expect(await feedIds(fan.client)).toEqual([]), settle);
    console.info(`feed: followee's images visible ${Math.round(seenAfterMs)} ms after the follow`);
  });

  it("drops a deleted image from every feed at once", { timeout: 60_000 }, async () => {
    const [fan, star] = (await newPeople(api, 2, { prefix: "del" })) as [Person, Person];
    await follow(fan, star);
    const kept = await postPicture(star.client, "kept");
    await eventually(async () => expect(await feedIds(fan.client)).toEqual([kept.id]), settle);
    const gone = await postPicture(star.client, "gone");
    expect(await feedIds(fan.client)).toEqual([gone.id, kept.id]);
    expect((await star.client.deleteImage(gone.id)).status).toBe(204);
    expect(await feedIds(fan.client)).toEqual([kept.id]);
    expect(await feedIds(star.client)).toEqual([kept.id]);
  });

  it("needs a token, and refuses a bad limit or cursor", async () => {
    expectProblem(await api.feed(), 401);
    expectProblem(await alice.client.feed({ limit: 0 }), 400);
    expectProblem(await alice.client.feed({ cursor: "not-a-cursor" }), 400);
  });
});
