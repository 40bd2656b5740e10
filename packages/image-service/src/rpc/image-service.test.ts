import { fromBinary } from "@bufbuild/protobuf";
import { Code } from "@connectrpc/connect";
import { eventSchema } from "@instagram/contracts/events";
import { newId } from "@instagram/kit";
import { connectFailure } from "@instagram/kit/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { photoJpeg } from "../processing/test-images.ts";
import { createTestbed, eventually, type Testbed } from "../testing/testbed.ts";

let bed: Testbed;
let tiny: Buffer;

beforeAll(async () => {
  bed = await createTestbed();
  tiny = await photoJpeg(24, 16);
});
afterAll(async () => {
  await bed.close();
});

const upload = (userId: string, caption?: string): Promise<string> => bed.post(userId, caption);

/** The code a call fails with. */
async function codeOf(call: Promise<unknown>): Promise<Code> {
  return (await connectFailure(call)).code;
}

function eventsOf(type: string, imageId: string): Record<string, unknown>[] {
  const schema = eventSchema("images", type);
  if (schema === undefined) throw new Error(type);
  return bed.published
    .filter((event) => event.type === type && event.aggregateId === imageId)
    .map((event) => fromBinary(schema, event.payload) as unknown as Record<string, unknown>);
}

describe("GetImage", () => {
  it("returns the image with its owner's username from the read model", async () => {
    const alice = await bed.createUser("alice");
    const id = await upload(alice, "Morning #Coffee with @Bob");
    const { image } = await bed.client.getImage({ id }, await bed.as(alice));
    expect(image).toMatchObject({
      id,
      owner: { id: alice, username: "alice" },
      caption: "Morning #Coffee with @Bob",
      hashtags: ["coffee"],
      mentions: ["bob"],
      contentType: "image/jpeg",
      width: 24,
      height: 16,
      likesCount: 0n,
      likedByMe: false,
    });
    await eventually(async () => eventsOf("CREATED", id).length === 1);
    expect(eventsOf("CREATED", id)[0]).toMatchObject({ imageId: id, ownerId: alice, hashtags: ["coffee"] });
  });

  it("is NotFound for a missing or malformed id", async () => {
    expect(await codeOf(bed.client.getImage({ id: newId() }))).toBe(Code.NotFound);
    expect(await codeOf(bed.client.getImage({ id: "not-an-id" }))).toBe(Code.NotFound);
  });
});

describe("likes", () => {
  it("are idempotent, counted exactly under concurrency, and published once per change", async () => {
    const owner = await bed.createUser("liked_owner");
    const id = await upload(owner);
    const fans = await Promise.all(Array.from({ length: 12 }, (_, i) => bed.createUser(`fan_${i}`)));

    // every fan likes twice, all at once
    await Promise.all(
      fans.flatMap((fan) => [0, 1].map(async () => bed.client.likeImage({ id }, await bed.as(fan)))),
    );
    const liked = await bed.client.getImage({ id }, await bed.as(fans[0]!));
    expect(liked.image?.likesCount).toBe(12n);
    expect(liked.image?.likedByMe).toBe(true);
    expect((await bed.client.getImage({ id }, await bed.as(owner))).image?.likedByMe).toBe(false);

    // half of them unlike, twice each
    await Promise.all(
      fans
        .slice(0, 6)
        .flatMap((fan) => [0, 1].map(async () => bed.client.unlikeImage({ id }, await bed.as(fan)))),
    );
    expect((await bed.client.getImage({ id })).image?.likesCount).toBe(6n);

    await eventually(async () => eventsOf("UNLIKED", id).length === 6);
    expect(eventsOf("LIKED", id)).toHaveLength(12);
    expect(eventsOf("LIKED", id)[0]).toMatchObject({ imageId: id, ownerId: owner });
  });

  it("lists likers newest first in stable pages", async () => {
    const owner = await bed.createUser("list_owner");
    const id = await upload(owner);
    const likers: string[] = [];
    for (let i = 0; i < 5; i++) {
      const fan = await bed.createUser(`lister_${i}`);
      await bed.client.likeImage({ id }, await bed.as(fan));
      likers.push(fan);
    }
    const seen: string[] = [];
    let cursor = "";
    do {
      const page = await bed.client.listLikers({ id, page: { limit: 2, cursor } });
      expect(page.userIds.length).toBeLessThanOrEqual(2);
      seen.push(...page.userIds);
      cursor = page.nextCursor;
    } while (cursor !== "");
    expect(seen).toEqual([...likers].reverse());
  });

  it("need a caller and an existing image", async () => {
    const someone = await bed.createUser("someone");
    expect(await codeOf(bed.client.likeImage({ id: newId() }, await bed.as(someone)))).toBe(Code.NotFound);
    expect(await codeOf(bed.client.unlikeImage({ id: newId() }, await bed.as(someone)))).toBe(Code.NotFound);
    expect(await codeOf(bed.client.listLikers({ id: newId() }))).toBe(Code.NotFound);
    const id = await upload(someone);
    expect(await codeOf(bed.client.likeImage({ id }))).toBe(Code.Unauthenticated);
    expect(
      await codeOf(bed.client.likeImage({ id }, { headers: { authorization: "Bearer forged.token.here" } })),
    ).toBe(Code.Unauthenticated);
  });
});

describe("DeleteImage", () => {
  it("lets only the owner delete; removes the row, both files, its likes; publishes DELETED", async () => {
    const owner = await bed.createUser("deleter");
    const other = await bed.createUser("bystander");
    const id = await upload(owner, "#gone");
    await bed.client.likeImage({ id }, await bed.as(other));
    expect((await bed.blobFiles()).filter((file) => file.startsWith(id))).toHaveLength(2);

    expect(await codeOf(bed.client.deleteImage({ id }, await bed.as(other)))).toBe(Code.PermissionDenied);
    expect(await codeOf(bed.client.deleteImage({ id }))).toBe(Code.Unauthenticated);
    expect(await codeOf(bed.client.deleteImage({ id: newId() }, await bed.as(owner)))).toBe(Code.NotFound);

    await bed.client.deleteImage({ id }, await bed.as(owner));
    expect(await codeOf(bed.client.getImage({ id }))).toBe(Code.NotFound);
    expect(await codeOf(bed.client.deleteImage({ id }, await bed.as(owner)))).toBe(Code.NotFound);
    expect(await codeOf(bed.client.listLikers({ id }))).toBe(Code.NotFound);
    expect((await bed.client.listTagImages({ tag: "gone" })).images).toEqual([]);
    await bed.runReaper();
    expect((await bed.blobFiles()).filter((file) => file.startsWith(id))).toEqual([]);
    await eventually(async () => eventsOf("DELETED", id).length === 1);
    expect(eventsOf("DELETED", id)[0]).toMatchObject({ imageId: id, ownerId: owner });
  });
});

describe("users.DELETED", () => {
  it("removes the user's images and files and their likes elsewhere, dropping counters", async () => {
    const leaver = await bed.createUser("leaver");
    const stayer = await bed.createUser("stayer");
    const leaverImages = [await upload(leaver), await upload(leaver, "#bye")];
    const stayerImage = await upload(stayer);
    await bed.client.likeImage({ id: stayerImage }, await bed.as(leaver));
    await bed.client.likeImage({ id: stayerImage }, await bed.as(stayer));
    await bed.client.likeImage({ id: leaverImages[0]! }, await bed.as(stayer));
    expect((await bed.client.getImage({ id: stayerImage })).image?.likesCount).toBe(2n);

    await bed.deleteUser(leaver, "leaver");

    for (const id of leaverImages) {
      expect(await codeOf(bed.client.getImage({ id }))).toBe(Code.NotFound);
      expect((await bed.blobFiles()).filter((file) => file.startsWith(id))).toEqual([]);
      await eventually(async () => eventsOf("DELETED", id).length === 1);
    }
    const kept = await bed.client.getImage({ id: stayerImage }, await bed.as(stayer));
    expect(kept.image?.likesCount).toBe(1n);
    expect((await bed.client.listLikers({ id: stayerImage })).userIds).toEqual([stayer]);
    expect((await bed.blobFiles()).filter((file) => file.startsWith(stayerImage))).toHaveLength(2);
    await eventually(async () => eventsOf("UNLIKED", stayerImage).length === 1);
    expect(eventsOf("UNLIKED", stayerImage)[0]).toMatchObject({ userId: leaver, ownerId: stayer });

    // a token that is still valid can add nothing more
    expect(await codeOf(bed.client.likeImage({ id: stayerImage }, await bed.as(leaver)))).toBe(
      Code.Unauthenticated,
    );
    expect((await bed.upload(leaver, tiny)).status).toBe(401);
    expect(await codeOf(bed.client.listUserImages({ userId: leaver }))).toBe(Code.NotFound);
  });

  it("a second users.DELETED for the same user finds nothing more to remove", async () => {
    const user = await bed.createUser("twice_gone");
    const id = await upload(user);
    await bed.deleteUser(user, "twice_gone");
    await eventually(async () => eventsOf("DELETED", id).length === 1);
    const before = bed.published.length;
    await bed.deleteUser(user, "twice_gone");
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(bed.published.slice(before).filter((event) => event.aggregateId === id)).toEqual([]);
  });
});

describe("comments events", () => {
  it("keep commentsCount, never below zero, ignoring unknown images", async () => {
    const owner = await bed.createUser("commented");
    const id = await upload(owner);
    const comment = (commentId: string) => ({ commentId, imageId: id, authorId: owner });
    await bed.deliver("comments", "CREATED", id, comment(newId()));
    await bed.deliver("comments", "CREATED", id, comment(newId()));
    expect((await bed.client.getImage({ id })).image?.commentsCount).toBe(2n);
    await bed.deliver("comments", "DELETED", id, comment(newId()));
    await bed.deliver("comments", "DELETED", id, comment(newId()));
    await bed.deliver("comments", "DELETED", id, comment(newId()));
    expect((await bed.client.getImage({ id })).image?.commentsCount).toBe(0n);
    await bed.deliver("comments", "CREATED", "x", {
      commentId: newId(),
      imageId: "not-a-uuid",
      authorId: owner,
    });
  });
});

describe("users events", () => {
  it("keep the owner's username current", async () => {
    const user = await bed.createUser("old_name");
    const id = await upload(user);
    await bed.deliver("users", "UPDATED", user, { userId: user, username: "new_name", displayName: "N" });
    expect((await bed.client.getImage({ id })).image?.owner?.username).toBe("new_name");
    expect((await bed.client.listUserImages({ userId: "new_name" })).images.map((image) => image.id)).toEqual(
      [id],
    );
  });
});

describe("lists", () => {
  it("pages a user's images newest first, by id or username, without gaps or repeats", async () => {
    const poster = await bed.createUser("poster");
    const ids: string[] = [];
    for (let i = 0; i < 5; i++) ids.push(await upload(poster, `#Series post ${i} for @Fan_1`));
    const newestFirst = [...ids].reverse();

    for (const userId of [poster, "poster", "@Poster"]) {
      const seen: string[] = [];
      let cursor = "";
      do {
        const page = await bed.client.listUserImages({ userId, page: { limit: 2, cursor } });
        seen.push(...page.images.map((image) => image.id));
        cursor = page.nextCursor;
      } while (cursor !== "");
      expect(seen).toEqual(newestFirst);
    }

    const byTag = await bed.client.listTagImages({ tag: "SERIES", page: { limit: 3 } });
    expect(byTag.images.map((image) => image.id)).toEqual(newestFirst.slice(0, 3));
    const rest = await bed.client.listTagImages({
      tag: "#series",
      page: { limit: 3, cursor: byTag.nextCursor },
    });
    expect(rest.images.map((image) => image.id)).toEqual(newestFirst.slice(3));
    expect(rest.nextCursor).toBe("");

    const mentions = await bed.client.listMentionImages({ username: "fan_1" });
    expect(mentions.images.map((image) => image.id)).toEqual(newestFirst);
    expect((await bed.client.listMentionImages({ username: "nobody_here" })).images).toEqual([]);
  });

  it("refuses bad limits, cursors, tags and usernames", async () => {
    const user = await bed.createUser("lister");
    expect(await codeOf(bed.client.listUserImages({ userId: user, page: { limit: 101 } }))).toBe(
      Code.InvalidArgument,
    );
    expect(await codeOf(bed.client.listUserImages({ userId: user, page: { limit: -1 } }))).toBe(
      Code.InvalidArgument,
    );
    expect(await codeOf(bed.client.listUserImages({ userId: user, page: { cursor: "garbage!" } }))).toBe(
      Code.InvalidArgument,
    );
    expect(await codeOf(bed.client.listTagImages({ tag: "no spaces" }))).toBe(Code.InvalidArgument);
    expect(await codeOf(bed.client.listMentionImages({ username: "x" }))).toBe(Code.InvalidArgument);
    expect(await codeOf(bed.client.listUserImages({ userId: "unknown_user" }))).toBe(Code.NotFound);
  });

  it("answers which images exist and who owns them", async () => {
    const owner = await bed.createUser("batch_owner");
    const id = await upload(owner);
    const { owners } = await bed.client.batchGetImageOwners({ ids: [id, newId(), "junk", id] });
    expect(owners.map((row) => [row.imageId, row.ownerId])).toEqual([[id, owner]]);
  });
});
