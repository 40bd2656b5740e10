import { timestampFromDate } from "@bufbuild/protobuf/wkt";
import { Code, ConnectError } from "@connectrpc/connect";
import { newId } from "@instagram/kit";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { createTestbed, type Testbed } from "../testing/testbed.ts";

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

async function profile(username: string) {
  try {
    return (await testbed.client().getProfile({ key: { case: "username", value: username } })).profile!;
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
    const event = await testbed.deliver(
      "accounts",
      "CREATED",
      { accountId: id, username: "neo", createdAt: timestampFromDate(createdAt) },
      { aggregateId: id },
    );
    await testbed.redeliver(event); // same event id: the inbox stops it
    await testbed.deliver("accounts", "CREATED", { accountId: id, username: "neo" }); // another id, same account

    const neo = await profile("neo");
    expect(neo).toMatchObject({ id, username: "neo", displayName: "", bio: "", followersCount: 0n });
    expect(neo?.createdAt?.seconds).toBe(BigInt(Math.floor(createdAt.getTime() / 1000)));
    expect(await testbed.published({ type: "CREATED" })).toEqual([
      {
        topic: "users",
        type: "CREATED",
        aggregateId: id,
        payload: { userId: id, username: "neo", createdAt: timestampFromDate(createdAt) },
      },
    ]);
    expect(testbed.deadLetters).toEqual([]);
  });

  it("dead-letters an event without a valid account id", async () => {
    await testbed.deliver("accounts", "CREATED", { accountId: "not-a-uuid", username: "x1x" });
    expect(testbed.deadLetters).toHaveLength(1);
    expect(testbed.deadLetters[0]?.topic).toBe("accounts.dlq");
    expect(await profile("x1x")).toBeUndefined();
  });

  it("takes over a username whose old account's DELETED has not arrived yet", async () => {
    const old = await testbed.signUp("sam");
    const fan = await testbed.signUp("fan");
    await fan.client.follow({ username: "sam" });
    await old.client.follow({ username: "fan" });

    const fresh = await testbed.signUp("sam");
    expect((await profile("sam"))?.id).toBe(fresh.id);
    expect(await counts("fan")).toEqual({ followers: 0, following: 0, images: 0 });
    const deleted = await testbed.published({ type: "DELETED" });
    expect(deleted.map((e) => e.payload)).toEqual([{ userId: old.id, username: "sam" }]);

    // The late DELETED of the old account leaves the new one alone.
    await testbed.deliver(
      "accounts",
      "DELETED",
      { accountId: old.id, username: "sam" },
      { aggregateId: old.id },
    );
    expect((await profile("sam"))?.id).toBe(fresh.id);
    expect(testbed.deadLetters).toEqual([]);
  });
});

describe("accounts.DELETED", () => {
  it("removes the profile and every edge, dropping the counters on the other side", async () => {
    const gone = await testbed.signUp("gone");
    const a = await testbed.signUp("aaa");
    const b = await testbed.signUp("bbb");
    await testbed.signUp("ccc");
    await a.client.follow({ username: "gone" });
    await b.client.follow({ username: "gone" });
    await gone.client.follow({ username: "ccc" });
    await a.client.follow({ username: "ccc" });
    const unfollowsBefore = (await testbed.published({ type: "UNFOLLOWED" })).length;

    const event = await testbed.deliver(
      "accounts",
      "DELETED",
      { accountId: gone.id, username: "gone" },
      { aggregateId: gone.id },
    );

    expect(await profile("gone")).toBeUndefined();
    expect(await counts("aaa")).toEqual({ followers: 0, following: 1, images: 0 });
    expect(await counts("bbb")).toEqual({ followers: 0, following: 0, images: 0 });
    expect(await counts("ccc")).toEqual({ followers: 1, following: 0, images: 0 });
    const aFollows = await testbed.client().listFollowing({ username: "aaa" });
    expect(aFollows.profiles.map((p) => p.username)).toEqual(["ccc"]);
    const cFollowers = await testbed.client().listFollowers({ username: "ccc" });
    expect(cFollowers.profiles.map((p) => p.id)).toEqual([a.id]);
    expect((await testbed.client().listFolloweeIds({ userId: gone.id })).userIds).toEqual([]);

    // users.DELETED stands for all of the user's edges: no per-edge UNFOLLOWED.
    const deleted = await testbed.published({ type: "DELETED" });
    expect(deleted).toEqual([
      {
        topic: "users",
        type: "DELETED",
        aggregateId: gone.id,
        payload: { userId: gone.id, username: "gone" },
      },
    ]);
    expect(await testbed.published({ type: "UNFOLLOWED" })).toHaveLength(unfollowsBefore);

    await testbed.redeliver(event);
    expect(await testbed.published({ type: "DELETED" })).toHaveLength(1);
    expect(await counts("ccc")).toEqual({ followers: 1, following: 0, images: 0 });
  });

  it("still publishes users.DELETED for an account without a profile, so the cascade goes on", async () => {
    const id = newId();
    await testbed.deliver("accounts", "DELETED", { accountId: id, username: "never" }, { aggregateId: id });
    expect((await testbed.published({ type: "DELETED" })).map((e) => e.payload)).toEqual([
      { userId: id, username: "never" },
    ]);
  });
});

describe("images events", () => {
  it("count each image once, whatever the redelivery", async () => {
    const ann = await testbed.signUp("ann");
    const imageId = newId();
    const created = await testbed.deliver(
      "images",
      "CREATED",
      { imageId, ownerId: ann.id },
      { aggregateId: imageId },
    );
    await testbed.redeliver(created);
    await testbed.deliver("images", "CREATED", { imageId, ownerId: ann.id }); // republished under a new event id
    await testbed.deliver("images", "CREATED", { imageId: newId(), ownerId: ann.id });
    expect((await counts("ann")).images).toBe(2);

    const deleted = await testbed.deliver("images", "DELETED", { imageId, ownerId: ann.id });
    await testbed.redeliver(deleted);
    await testbed.deliver("images", "DELETED", { imageId, ownerId: ann.id });
    await testbed.deliver("images", "DELETED", { imageId: newId(), ownerId: ann.id }); // never counted
    expect((await counts("ann")).images).toBe(1);
  });

  it("counts images that arrive before the profile does", async () => {
    const id = newId();
    await testbed.deliver("images", "CREATED", { imageId: newId(), ownerId: id });
    await testbed.deliver("images", "CREATED", { imageId: newId(), ownerId: id });
    await testbed.deliver("accounts", "CREATED", { accountId: id, username: "late" }, { aggregateId: id });
    expect((await counts("late")).images).toBe(2);
  });

  it("ignores the other image events", async () => {
    const ann = await testbed.signUp("ann");
    await testbed.deliver("images", "LIKED", { imageId: newId(), userId: ann.id, ownerId: ann.id });
    expect(await counts("ann")).toEqual({ followers: 0, following: 0, images: 0 });
    expect(testbed.deadLetters).toEqual([]);
  });
});
