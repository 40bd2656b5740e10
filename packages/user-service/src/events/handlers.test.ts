import { timestampFromDate } from "@bufbuild/protobuf/wkt";
import { Code, ConnectError } from "@connectrpc/connect";
import { newId } from "@instagram/kit";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { createUserWorld, type UserWorld } from "../testing/user-world.ts";

let world: UserWorld;
beforeAll(async () => {
  world = await createUserWorld();
});
beforeEach(async () => {
  await world.reset();
});
afterAll(async () => {
  await world?.close();
});

async function profile(username: string) {
  try {
    return (await world.client().getProfile({ key: { case: "username", value: username } })).profile!;
  } catch (error) {
    if (ConnectError.from(error).code === Code.NotFound) return undefined;
    throw error;
  }
}

async function counts(username: string) {
  const p = await profile(username);
  if (p === undefined) throw new Error(`${username} has no profile`);
  return {
    followers: Number(p.followersCount),
    following: Number(p.followingCount),
    images: Number(p.imagesCount),
  };
}

describe("accounts.CREATED", () => {
  it("creates the profile and publishes users.CREATED once, however often it arrives", async () => {
    const id = newId();
    const createdAt = new Date("2024-05-01T10:00:00.123Z");
    const event = await world.deliver(
      "accounts",
      "CREATED",
      { accountId: id, username: "neo", createdAt: timestampFromDate(createdAt) },
      { aggregateId: id },
    );
    await world.redeliver(event); // same event id: the inbox stops it
    await world.deliver("accounts", "CREATED", { accountId: id, username: "neo" }); // another id, same account

    const neo = await profile("neo");
    expect(neo).toMatchObject({ id, username: "neo", displayName: "", bio: "", followersCount: 0n });
    expect(neo?.createdAt?.seconds).toBe(BigInt(Math.floor(createdAt.getTime() / 1000)));
    expect(await world.published({ type: "CREATED" })).toEqual([
      {
        topic: "users",
        type: "CREATED",
        aggregateId: id,
        payload: { userId: id, username: "neo", createdAt: timestampFromDate(createdAt) },
      },
    ]);
    expect(world.deadLetters).toEqual([]);
  });

  it("dead-letters an event without a valid account id", async () => {
    await world.deliver("accounts", "CREATED", { accountId: "not-a-uuid", username: "x1x" });
    expect(world.deadLetters).toHaveLength(1);
    expect(world.deadLetters[0]?.topic).toBe("accounts.dlq");
    expect(await profile("x1x")).toBeUndefined();
  });

  it("takes over a username whose old account's DELETED has not arrived yet", async () => {
    const old = await world.signUp("sam");
    const fan = await world.signUp("fan");
    await fan.client.follow({ username: "sam" });
    await old.client.follow({ username: "fan" });

    const fresh = await world.signUp("sam");
    expect((await profile("sam"))?.id).toBe(fresh.id);
    expect(await counts("fan")).toEqual({ followers: 0, following: 0, images: 0 });
    const deleted = await world.published({ type: "DELETED" });
    expect(deleted.map((e) => e.payload)).toEqual([{ userId: old.id, username: "sam" }]);

    // The late DELETED of the old account leaves the new one alone.
    await world.deliver(
      "accounts",
      "DELETED",
      { accountId: old.id, username: "sam" },
      { aggregateId: old.id },
    );
    expect((await profile("sam"))?.id).toBe(fresh.id);
    expect(world.deadLetters).toEqual([]);
  });
});

describe("accounts.DELETED", () => {
  it("removes the profile and every edge, dropping the counters on the other side", async () => {
    const gone = await world.signUp("gone");
    const a = await world.signUp("aaa");
    const b = await world.signUp("bbb");
    await world.signUp("ccc");
    await a.client.follow({ username: "gone" });
    await b.client.follow({ username: "gone" });
    await gone.client.follow({ username: "ccc" });
    await a.client.follow({ username: "ccc" });
    const unfollowsBefore = (await world.published({ type: "UNFOLLOWED" })).length;

    const event = await world.deliver(
      "accounts",
      "DELETED",
      { accountId: gone.id, username: "gone" },
      { aggregateId: gone.id },
    );

    expect(await profile("gone")).toBeUndefined();
    expect(await counts("aaa")).toEqual({ followers: 0, following: 1, images: 0 });
    expect(await counts("bbb")).toEqual({ followers: 0, following: 0, images: 0 });
    expect(await counts("ccc")).toEqual({ followers: 1, following: 0, images: 0 });
    const aFollows = await world.client().listFollowing({ username: "aaa" });
    expect(aFollows.profiles.map((p) => p.username)).toEqual(["ccc"]);
    const cFollowers = await world.client().listFollowers({ username: "ccc" });
    expect(cFollowers.profiles.map((p) => p.id)).toEqual([a.id]);
    expect((await world.client().listFolloweeIds({ userId: gone.id })).userIds).toEqual([]);

    // users.DELETED stands for all of the user's edges: no per-edge UNFOLLOWED.
    const deleted = await world.published({ type: "DELETED" });
    expect(deleted).toEqual([
      {
        topic: "users",
        type: "DELETED",
        aggregateId: gone.id,
        payload: { userId: gone.id, username: "gone" },
      },
    ]);
    expect(await world.published({ type: "UNFOLLOWED" })).toHaveLength(unfollowsBefore);

    await world.redeliver(event);
    expect(await world.published({ type: "DELETED" })).toHaveLength(1);
    expect(await counts("ccc")).toEqual({ followers: 1, following: 0, images: 0 });
  });

  it("still publishes users.DELETED for an account without a profile, so the cascade goes on", async () => {
    const id = newId();
    await world.deliver("accounts", "DELETED", { accountId: id, username: "never" }, { aggregateId: id });
    expect((await world.published({ type: "DELETED" })).map((e) => e.payload)).toEqual([
      { userId: id, username: "never" },
    ]);
  });
});

describe("images events", () => {
  it("count each image once, whatever the redelivery", async () => {
    const ann = await world.signUp("ann");
    const imageId = newId();
    const created = await world.deliver(
      "images",
      "CREATED",
      { imageId, ownerId: ann.id },
      { aggregateId: imageId },
    );
    await world.redeliver(created);
    await world.deliver("images", "CREATED", { imageId, ownerId: ann.id }); // republished under a new event id
    await world.deliver("images", "CREATED", { imageId: newId(), ownerId: ann.id });
    expect((await counts("ann")).images).toBe(2);

    const deleted = await world.deliver("images", "DELETED", { imageId, ownerId: ann.id });
    await world.redeliver(deleted);
    await world.deliver("images", "DELETED", { imageId, ownerId: ann.id });
    await world.deliver("images", "DELETED", { imageId: newId(), ownerId: ann.id }); // never counted
    expect((await counts("ann")).images).toBe(1);
  });

  it("counts images that arrive before the profile does", async () => {
    const id = newId();
    await world.deliver("images", "CREATED", { imageId: newId(), ownerId: id });
    await world.deliver("images", "CREATED", { imageId: newId(), ownerId: id });
    await world.deliver("accounts", "CREATED", { accountId: id, username: "late" }, { aggregateId: id });
    expect((await counts("late")).images).toBe(2);
  });

  it("ignores the other image events", async () => {
    const ann = await world.signUp("ann");
    await world.deliver("images", "LIKED", { imageId: newId(), userId: ann.id, ownerId: ann.id });
    expect(await counts("ann")).toEqual({ followers: 0, following: 0, images: 0 });
    expect(world.deadLetters).toEqual([]);
  });
});
