// The account-deletion cascade, end to end: a user with a full life in every service leaves, and
// nothing of them may remain anywhere (API.md, Events).
import { expect } from "vitest";
import { Client, type Image, type Profile } from "./client.ts";
import { eventually } from "./eventually.ts";
import { postPicture } from "./gallery.ts";
import { everyPage } from "./pages.ts";
import { newPeople, type Person } from "./people.ts";
import { expectProblem } from "./problems.ts";
import { picture } from "./test-images.ts";

export interface CascadeWorld {
  /** Follows friend and idol, is followed by friend and fan; posts, likes and comments. */
  leaving: Person;
  friend: Person;
  fan: Person;
  idol: Person;
  tag: string;
  /** leaving's images: liked by friend, commented on by friend and fan. */
  theirs: Image[];
  /** friend's image: liked by leaving and fan, commented on by leaving (twice) and friend. */
  friendsImage: Image;
  /** idol's image: liked and commented on by leaving only. */
  idolsImage: Image;
}

async function ok(reply: Promise<{ status: number; text: string }>, status = 204): Promise<void> {
  const answer = await reply;
  expect(answer.status, answer.text).toBe(status);
}

async function counts(viewer: Client, username: string): Promise<[number, number]> {
  const reply = await viewer.profile(username);
  expect(reply.status, reply.text).toBe(200);
  return [reply.body.followersCount, reply.body.followingCount];
}

async function imageCounts(viewer: Client, id: string): Promise<[number, number]> {
  const reply = await viewer.image(id);
  expect(reply.status, reply.text).toBe(200);
  return [reply.body.likesCount, reply.body.commentsCount];
}

const names = (profiles: Profile[]): string[] => profiles.map((p) => p.username).sort();

/** Builds the world and waits until every counter in it has caught up. */
export async function buildCascadeWorld(api: Client, prefix: string): Promise<CascadeWorld> {
  const [leaving, friend, fan, idol] = (await newPeople(api, 4, { prefix })) as [
    Person,
    Person,
    Person,
    Person,
  ];
  await ok(leaving.client.follow(friend.username));
  await ok(leaving.client.follow(idol.username));
  await ok(friend.client.follow(leaving.username));
  await ok(fan.client.follow(leaving.username));
  await ok(friend.client.follow(idol.username));

  const tag = `bye${Date.now().toString(36)}${Math.random().toString(36).slice(2, 6)}`;
  const theirs = [
    await postPicture(leaving.client, `first #${tag} with @${friend.username}`),
    await postPicture(leaving.client, `second #${tag}`),
  ];
  const friendsImage = await postPicture(friend.client, `mine #${tag}`);
  const idolsImage = await postPicture(idol.client, "idol");

  await ok(friend.client.like(theirs[0]!.id));
  await ok(friend.client.comment(theirs[0]!.id, "nice one"), 201);
  await ok(fan.client.comment(theirs[0]!.id, "wow"), 201);
  await ok(friend.client.comment(theirs[1]!.id, "again"), 201);

  await ok(leaving.client.like(friendsImage.id));
  await ok(fan.client.like(friendsImage.id));
  await ok(leaving.client.comment(friendsImage.id, `thanks @${friend.username}`), 201);
  await ok(leaving.client.comment(friendsImage.id, "really"), 201);
  await ok(friend.client.comment(friendsImage.id, "my own"), 201);
  await ok(leaving.client.like(idolsImage.id));
  await ok(leaving.client.comment(idolsImage.id, "big fan"), 201);

  await eventually(
    async () => {
      expect(await counts(fan.client, leaving.username)).toEqual([2, 2]);
      expect(await counts(fan.client, friend.username)).toEqual([1, 2]);
      expect(await counts(fan.client, idol.username)).toEqual([2, 0]);
      expect((await fan.client.profile(leaving.username)).body.imagesCount).toBe(2);
      expect(await imageCounts(fan.client, friendsImage.id)).toEqual([2, 3]);
      expect(await imageCounts(fan.client, idolsImage.id)).toEqual([1, 1]);
      expect(await imageCounts(fan.client, theirs[0]!.id)).toEqual([1, 2]);
    },
    { timeoutMs: 30_000, intervalMs: 200 },
  );
  return { leaving, friend, fan, idol, tag, theirs, friendsImage, idolsImage };
}

/** Deletes the leaving account (expects 204) and returns the time of the deletion. */
export async function deleteLeavingAccount(world: CascadeWorld): Promise<number> {
  const at = Date.now();
  const reply = await world.leaving.client.deleteAccount(world.leaving.password);
  expect(reply.status, reply.text).toBe(204);
  // The account itself goes at once (once only: failed logins of one account are throttled).
  expectProblem(
    await new Client(world.leaving.client.baseUrl).logIn(world.leaving.username, world.leaving.password),
    401,
  );
  return at;
}

/** Nothing of the leaving user remains, as every other user sees it; throws while some does. */
export async function expectNothingLeft(world: CascadeWorld, api: Client): Promise<void> {
  const { leaving, friend, fan, idol, theirs, friendsImage, idolsImage } = world;
  // The profile.
  expectProblem(await friend.client.profile(leaving.username), 404);
  expectProblem(await friend.client.userImages(leaving.username), 404);
  // Follow edges, with exact counters on the other side.
  expect(await counts(fan.client, friend.username)).toEqual([0, 1]);
  expect(await counts(fan.client, fan.username)).toEqual([0, 0]);
  expect(await counts(fan.client, idol.username)).toEqual([1, 0]);
  expect(names(await everyPage((page) => fan.client.followers(idol.username, page)))).toEqual([
    friend.username,
  ]);
  expect(await everyPage((page) => fan.client.following(friend.username, page))).toHaveLength(1);
  expect(await everyPage((page) => fan.client.followers(friend.username, page))).toEqual([]);
  expect(await everyPage((page) => fan.client.following(fan.username, page))).toEqual([]);
  // Their images, their files, and everyone's comments on them.
  for (const image of theirs) {
    expectProblem(await friend.client.image(image.id), 404);
    expect((await api.content(image.id, "original")).status).toBe(404);
    expect((await api.content(image.id, "thumbnail")).status).toBe(404);
    expectProblem(await friend.client.comments(image.id), 404);
    expectProblem(await friend.client.likers(image.id), 404);
  }
  const tagged = await everyPage((page) => fan.client.tagImages(world.tag, page));
  expect(tagged.map((i) => i.id)).toEqual([friendsImage.id]);
  const mentions = await everyPage((page) => fan.client.mentionImages(friend.username, page));
  expect(mentions.map((i) => i.id)).not.toContain(theirs[0]!.id);
  // Their likes and comments on other people's images, with the counters dropping.
  expect(await imageCounts(fan.client, friendsImage.id)).toEqual([1, 1]);
  expect(await imageCounts(fan.client, idolsImage.id)).toEqual([0, 0]);
  expect(names(await everyPage((page) => fan.client.likers(friendsImage.id, page)))).toEqual([fan.username]);
  expect(await everyPage((page) => fan.client.likers(idolsImage.id, page))).toEqual([]);
  const left = await everyPage((page) => fan.client.comments(friendsImage.id, page));
  expect(left.map((c) => [c.author.username, c.text])).toEqual([[friend.username, "my own"]]);
  expect(await everyPage((page) => fan.client.comments(idolsImage.id, page))).toEqual([]);
}

/**
 * The leaving user's access token stays valid for up to 15 minutes after the deletion: it must not
 * create anything anywhere any more (each attempt is refused with a 4xx), or it would make orphans.
 */
export async function expectTheirTokenToCreateNothing(world: CascadeWorld): Promise<void> {
  const { leaving, friend, friendsImage } = world;
  const attempts = [
    await leaving.client.upload({ bytes: await picture("png", 8, 8), contentType: "image/png" }),
    await leaving.client.like(friendsImage.id),
    await leaving.client.comment(friendsImage.id, "still here?"),
    await leaving.client.follow(friend.username),
  ];
  for (const reply of attempts) {
    expect(reply.status, reply.text).toBeGreaterThanOrEqual(400);
    expect(reply.status, reply.text).toBeLessThan(500);
  }
}

/** Polls until nothing is left (bounded by `timeoutMs`); returns the settle time in ms since `deletedAt`. */
export async function settle(
  world: CascadeWorld,
  api: Client,
  deletedAt: number,
  timeoutMs: number,
): Promise<number> {
  await eventually(() => expectNothingLeft(world, api), { timeoutMs, intervalMs: 250 });
  return Date.now() - deletedAt;
}
