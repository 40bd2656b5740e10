import { beforeAll, describe, expect, it } from "vitest";
import { postPicture } from "./gallery.ts";
import { everyPage } from "./pages.ts";
import { newPeople, type Person, uniqueUsername } from "./people.ts";
import { expectProblem } from "./problems.ts";
import { gateway } from "./stack.ts";

/** A tag no other test uses: letters and digits only. */
function freshTag(prefix: string): string {
  return `${prefix}${Date.now().toString(36)}${Math.random().toString(36).slice(2, 7)}`;
}

describe("lists of images", () => {
  const api = gateway();
  let alice: Person;
  let bob: Person;
  beforeAll(async () => {
    [alice, bob] = (await newPeople(api, 2, { prefix: "lst" })) as [Person, Person];
  });

  it("lists a user's images newest first, page by page, stable while new ones arrive", {
    timeout: 120_000,
  }, async () => {
    const posted = [];
    for (let i = 0; i < 7; i += 1) posted.push(await postPicture(alice.client, `number ${i}`));
    const newestFirst = posted.map((image) => image.id).reverse();

    const first = await bob.client.userImages(alice.username, { limit: 3 });
    expect(first.status, first.text).toBe(200);
    expect(first.body.items.map((i) => i.id)).toEqual(newestFirst.slice(0, 3));
    expect(first.body.items.every((i) => i.owner.username === alice.username)).toBe(true);
    expect(first.body.nextCursor).not.toBeNull();

    // A new image between pages changes nothing on the pages that follow.
    const later = await postPicture(alice.client, "later");
    const rest = await everyPage((page) =>
      bob.client.userImages(alice.username, { ...page, cursor: page.cursor ?? first.body.nextCursor ?? "" }),
    );
    expect(rest.map((i) => i.id)).toEqual(newestFirst.slice(3));

    const all = await everyPage((page) => bob.client.userImages(alice.username, page), 2);
    expect(all.map((i) => i.id)).toEqual([later.id, ...newestFirst]);
    const times = all.map((i) => Date.parse(i.createdAt));
    expect([...times].sort((a, b) => b - a)).toEqual(times);

    expect((await bob.client.userImages(bob.username)).body).toEqual({ items: [], nextCursor: null });
    expectProblem(await bob.client.userImages(uniqueUsername("nobody")), 404);
    for (const limit of ["0", "101", "x"]) {
      expectProblem(await bob.client.userImages(alice.username, { limit }), 400);
    }
    expectProblem(await bob.client.userImages(alice.username, { cursor: "garbage!" }), 400);
  });

  it("finds images by hashtag in any case, unicode tags included, newest first", async () => {
    const tag = freshTag("Sunset");
    const unicode = `Été_${freshTag("夕焼け")}`;
    const first = await postPicture(alice.client, `Golden hour #${tag} and #${unicode}`);
    const second = await postPicture(bob.client, `again #${tag.toUpperCase()} #${tag}`);
    expect(first.hashtags).toEqual([tag.toLowerCase(), unicode.toLowerCase()]);
    expect(second.hashtags).toEqual([tag.toLowerCase()]);

    for (const asked of [tag, tag.toLowerCase(), tag.toUpperCase()]) {
      const page = await alice.client.tagImages(asked);
      expect(page.status, page.text).toBe(200);
      expect(page.body.items.map((i) => i.id)).toEqual([second.id, first.id]);
    }
    for (const asked of [unicode, unicode.toLowerCase(), unicode.toUpperCase()]) {
      const page = await alice.client.tagImages(asked);
      expect(page.status, page.text).toBe(200);
      expect(page.body.items.map((i) => i.id)).toEqual([first.id]);
    }
    expect((await alice.client.tagImages(freshTag("nothing"))).body).toEqual({ items: [], nextCursor: null });
    expectProblem(await alice.client.tagImages("not a tag!"), 400);

    // The tag of the contract's example, shared with whoever else uses it: ours is among them.
    const sunset = await postPicture(alice.client, "Evening #Sunset");
    expect(sunset.hashtags).toEqual(["sunset"]);
    const sunsets = await everyPage((page) => alice.client.tagImages("sunset", page));
    expect(sunsets.map((i) => i.id)).toContain(sunset.id);
  });

  it("finds the images whose caption mentions a user", async () => {
    const mentioning = await postPicture(
      alice.client,
      `with @${bob.username} and @nobody_here_${Date.now()}`,
    );
    const shouting = await postPicture(alice.client, `hey @${bob.username.toUpperCase()}.`);
    expect(mentioning.mentions).toContain(bob.username);
    expect(shouting.mentions).toEqual([bob.username]);
    const page = await alice.client.mentionImages(bob.username);
    expect(page.status, page.text).toBe(200);
    expect(page.body.items.map((i) => i.id)).toEqual([shouting.id, mentioning.id]);
    expect((await alice.client.mentionImages(alice.username)).body.items).toEqual([]);
    expectProblem(await alice.client.mentionImages(uniqueUsername("ghost")), 404);
  });
});
