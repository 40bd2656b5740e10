import { beforeAll, describe, expect, it } from "vitest";
import type { Client } from "./client.ts";
import { eventually } from "./eventually.ts";
import { postPicture } from "./gallery.ts";
import { everyPage } from "./pages.ts";
import { newPeople, type Person } from "./people.ts";
import { expectProblem } from "./problems.ts";
import { gateway } from "./stack.ts";

const unknownImage = "0192f0a4-8b1c-7def-8123-456789abcdef";

/**
 * Everyone sends `act` at once; a 503 (a service answering too slowly under the burst: the embedded
 * stack's one PGlite runs one statement at a time) is retried, as its problem asks, up to twice.
 * Likes are idempotent, so a retried like that had landed anyway counts once. Returns the final
 * statuses and logs how many had to be retried.
 */
async function allAtOnce(
  people: Person[],
  act: (client: Client) => Promise<{ status: number }>,
): Promise<number[]> {
  let retried = 0;
  const statuses = await Promise.all(
    people.map(async (person) => {
      let reply = await act(person.client);
      for (let attempt = 0; attempt < 2 && reply.status === 503; attempt += 1) {
        retried += 1;
        reply = await act(person.client);
      }
      return reply.status;
    }),
  );
  if (retried > 0)
    console.info(`[likes] ${retried} of ${people.length} concurrent requests retried after a 503`);
  return statuses;
}

async function likesCount(viewer: Client, imageId: string): Promise<number> {
  const reply = await viewer.image(imageId);
  expect(reply.status, reply.text).toBe(200);
  return reply.body.likesCount;
}

describe("likes", () => {
  const api = gateway();
  let owner: Person;
  let fan: Person;
  /** A hundred people, made once (sign-up hashes a password: they take a while) for this file's tests. */
  let crowd: Person[];
  beforeAll(async () => {
    [owner, fan] = (await newPeople(api, 2, { prefix: "lik" })) as [Person, Person];
    crowd = await newPeople(api, 100, { prefix: "crowd" });
  }, 600_000);

  it("likes and unlikes idempotently, telling each viewer whether they like it", async () => {
    const image = await postPicture(owner.client, "like me");
    for (let i = 0; i < 3; i += 1) expect((await fan.client.like(image.id)).status).toBe(204);
    expect((await fan.client.image(image.id)).body).toMatchObject({ likesCount: 1, likedByMe: true });
    expect((await owner.client.image(image.id)).body).toMatchObject({ likesCount: 1, likedByMe: false });

    const likers = await fan.client.likers(image.id);
    expect(likers.status, likers.text).toBe(200);
    expect(likers.body.items.map((p) => [p.id, p.username])).toEqual([[fan.id, fan.username]]);
    expect(likers.body.nextCursor).toBeNull();

    expect((await owner.client.like(image.id)).status).toBe(204); // owners may like their own
    expect((await owner.client.image(image.id)).body).toMatchObject({ likesCount: 2, likedByMe: true });

    for (let i = 0; i < 3; i += 1) expect((await fan.client.unlike(image.id)).status).toBe(204);
    expect((await fan.client.image(image.id)).body).toMatchObject({ likesCount: 1, likedByMe: false });
    expect((await fan.client.likers(image.id)).body.items.map((p) => p.username)).toEqual([owner.username]);

    // In lists too.
    const mine = await fan.client.userImages(owner.username);
    expect(mine.body.items.find((i) => i.id === image.id)).toMatchObject({ likesCount: 1, likedByMe: false });
    const own = await owner.client.userImages(owner.username);
    expect(own.body.items.find((i) => i.id === image.id)).toMatchObject({ likesCount: 1, likedByMe: true });
  });

  it("answers 404 for liking, unliking or listing the likers of an unknown image, 401 without a token", async () => {
    expectProblem(await fan.client.like(unknownImage), 404);
    expectProblem(await fan.client.unlike(unknownImage), 404);
    expectProblem(await fan.client.likers(unknownImage), 404);
    const image = await postPicture(owner.client);
    expectProblem(await api.like(image.id), 401);
    expectProblem(await api.likers(image.id), 401);
    const gone = await postPicture(owner.client);
    expect((await owner.client.deleteImage(gone.id)).status).toBe(204);
    expectProblem(await fan.client.like(gone.id), 404);
  });

  it("counts exactly 100 likes from 100 people liking at once, and lists each of them once", {
    timeout: 180_000,
  }, async () => {
    const image = await postPicture(owner.client, "popular");
    expect(await allAtOnce(crowd, (client) => client.like(image.id))).toEqual(crowd.map(() => 204));
    // and a second wave of the first 20, at once: still one like each
    const again = crowd.slice(0, 20);
    expect(await allAtOnce(again, (client) => client.like(image.id))).toEqual(again.map(() => 204));
    expect(await likesCount(owner.client, image.id)).toBe(100);

    const likers = await everyPage((page) => owner.client.likers(image.id, page), 7);
    expect(likers).toHaveLength(100);
    expect(new Set(likers.map((p) => p.id))).toEqual(new Set(crowd.map((p) => p.id)));

    // Half of them change their minds, at once.
    const leaving = crowd.slice(0, 50);
    expect(await allAtOnce(leaving, (client) => client.unlike(image.id))).toEqual(leaving.map(() => 204));
    expect(await likesCount(owner.client, image.id)).toBe(50);
    const left = await everyPage((page) => owner.client.likers(image.id, page), 20);
    expect(new Set(left.map((p) => p.id))).toEqual(new Set(crowd.slice(50).map((p) => p.id)));
  });

  it("pages likers newest first, with no duplicates while new likes arrive", {
    timeout: 120_000,
  }, async () => {
    const image = await postPicture(owner.client, "paged");
    const early = crowd.slice(0, 12);
    const late = crowd.slice(12, 18);
    for (const person of early) expect((await person.client.like(image.id)).status).toBe(204);
    const first = await owner.client.likers(image.id, { limit: 5 });
    expect(first.body.items.map((p) => p.id)).toEqual(
      early
        .slice(-5)
        .reverse()
        .map((p) => p.id),
    );

    const seen: string[] = [];
    let cursor: string | undefined;
    const pending = [...late];
    do {
      const page = await owner.client.likers(image.id, { limit: 4, cursor });
      expect(page.status, page.text).toBe(200);
      seen.push(...page.body.items.map((p) => p.id));
      cursor = page.body.nextCursor ?? undefined;
      for (const person of pending.splice(0, 2)) await person.client.like(image.id);
    } while (cursor !== undefined);
    expect(new Set(seen).size).toBe(seen.length);
    for (const person of early) expect(seen).toContain(person.id);
    await eventually(async () => expect(await likesCount(owner.client, image.id)).toBe(18));
  });
});
