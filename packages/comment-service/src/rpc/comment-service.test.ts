import { Code, ConnectError } from "@connectrpc/connect";
import { fieldErrorsOf, newId } from "@instagram/kit";
import { connectFailure as failure } from "@instagram/kit/testing";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import type { ImageOwnerLookup } from "../peers/image-owners.ts";
import { createTestbed, type Testbed } from "../testing/testbed.ts";

let testbed: Testbed;

beforeAll(async () => {
  testbed = await createTestbed();
}, 120_000);

afterAll(async () => {
  await testbed.close();
});

afterEach(() => {
  testbed.useImageOwners(undefined);
});

/** The shared service, with this test's image-service fallback (none by default). */
async function start(opts: { imageOwners?: ImageOwnerLookup } = {}): Promise<Testbed> {
  testbed.useImageOwners(opts.imageOwners);
  return testbed;
}

describe("CreateComment", () => {
  it("stores the trimmed text with its hashtags and mentions, and publishes comments.CREATED keyed by image", async () => {
    const f = await start();
    const alice = newId();
    const image = await f.imageOf(newId());
    const { comment } = await f.client.createComment(
      { imageId: image, text: "  Love it @Bob #Sunset #sunset  " },
      await f.as(alice, "alice"),
    );
    expect(comment).toMatchObject({
      imageId: image,
      author: { id: alice, username: "alice" },
      text: "Love it @Bob #Sunset #sunset",
      hashtags: ["sunset"],
      mentions: ["bob"],
    });
    expect(comment?.createdAt).toBeDefined();
    expect(await f.published(image)).toEqual([
      {
        topic: "comments",
        type: "CREATED",
        aggregateId: image,
        payload: expect.objectContaining({ commentId: comment?.id, imageId: image, authorId: alice }),
      },
    ]);
  });

  it("refuses empty and over-long text with a field problem on text", async () => {
    const f = await start();
    const image = await f.imageOf(newId());
    const options = await f.as(newId());
    for (const [text, message] of [
      ["   ", "must not be empty"],
      ["x".repeat(1001), "must be at most 1000 characters"],
    ] as const) {
      const error = await failure(f.client.createComment({ imageId: image, text }, options));
      expect(error.code).toBe(Code.InvalidArgument);
      expect(fieldErrorsOf(error)).toEqual([{ path: "text", message }]);
    }
    expect(await f.published(image)).toEqual([]);
  });

  it("answers NotFound for an image nobody knows, a malformed id and a deleted image", async () => {
    const f = await start();
    const options = await f.as(newId());
    const deleted = await f.imageOf(newId());
    await f.applied(await f.deliver("images", "DELETED", deleted, { imageId: deleted, ownerId: newId() }));
    for (const imageId of [newId(), "not-an-id", deleted]) {
      const error = await failure(f.client.createComment({ imageId, text: "hi" }, options));
      expect(error.code).toBe(Code.NotFound);
    }
  });

  it("needs an authenticated caller", async () => {
    const f = await start();
    const image = await f.imageOf(newId());
    expect((await failure(f.client.createComment({ imageId: image, text: "hi" }))).code).toBe(
      Code.Unauthenticated,
    );
  });

  it("refuses a deleted user whose access token is still valid", async () => {
    const f = await start();
    const ghost = newId();
    const image = await f.imageOf(newId());
    const options = await f.as(ghost, "ghost");
    await f.applied(await f.deliver("users", "DELETED", ghost, { userId: ghost, username: "ghost" }));
    const error = await failure(f.client.createComment({ imageId: image, text: "boo" }, options));
    expect(error.code).toBe(Code.Unauthenticated);
  });
});

describe("images the read model does not know yet", () => {
  function lookup(owners: Record<string, string>, seen: (string | undefined)[] = []): ImageOwnerLookup {
    return {
      async ownersOf(ids, authorization) {
        seen.push(authorization);
        return new Map(ids.flatMap((id) => (owners[id] ? [[id, owners[id]] as const] : [])));
      },
    };
  }

  it("asks image-service (forwarding the caller's token) and remembers the answer", async () => {
    const image = newId();
    const owner = newId();
    const seen: (string | undefined)[] = [];
    const f = await start({ imageOwners: lookup({ [image]: owner }, seen) });
    const options = await f.as(newId());
    await f.client.createComment({ imageId: image, text: "first!" }, options);
    expect(seen).toEqual([(options.headers as Record<string, string>).authorization]);
    // Remembered: the owner may now moderate, and image-service is not asked again.
    const { comments } = await f.client.listComments({ imageId: image }, options);
    expect(comments.map((c) => c.text)).toEqual(["first!"]);
    expect(seen).toHaveLength(1);
    await f.client.deleteComment({ imageId: image, commentId: comments[0]?.id ?? "" }, await f.as(owner));
  });

  it("answers NotFound when image-service does not know it either", async () => {
    const f = await start({ imageOwners: lookup({}) });
    const error = await failure(
      f.client.createComment({ imageId: newId(), text: "hi" }, await f.as(newId())),
    );
    expect(error.code).toBe(Code.NotFound);
  });

  it("answers Unavailable when image-service does not answer, and never asks about a deleted image", async () => {
    let calls = 0;
    const f = await start({
      imageOwners: {
        async ownersOf() {
          calls++;
          throw new ConnectError("deadline exceeded", Code.DeadlineExceeded);
        },
      },
    });
    const options = await f.as(newId());
    expect((await failure(f.client.listComments({ imageId: newId() }, options))).code).toBe(Code.Unavailable);
    expect(calls).toBe(1);
    const deleted = newId();
    await f.applied(await f.deliver("images", "DELETED", deleted, { imageId: deleted, ownerId: newId() }));
    expect((await failure(f.client.createComment({ imageId: deleted, text: "x" }, options))).code).toBe(
      Code.NotFound,
    );
    expect(calls).toBe(1);
  });
});

describe("ListComments", () => {
  it("pages oldest first with a cursor, stable while new comments are added", async () => {
    const f = await start();
    const image = await f.imageOf(newId());
    const other = await f.imageOf(newId());
    const options = await f.as(newId(), "carol");
    const write = async (imageId: string, text: string) =>
      (await f.client.createComment({ imageId, text }, options)).comment?.id;
    const ids = [];
    for (const n of [1, 2, 3, 4, 5]) ids.push(await write(image, `c${n}`));
    await write(other, "elsewhere");

    const first = await f.client.listComments({ imageId: image, page: { limit: 2 } }, options);
    expect(first.comments.map((c) => c.text)).toEqual(["c1", "c2"]);
    expect(first.nextCursor).not.toBe("");
    ids.push(await write(image, "c6")); // arrives while the reader is between pages

    const second = await f.client.listComments(
      { imageId: image, page: { limit: 2, cursor: first.nextCursor } },
      options,
    );
    expect(second.comments.map((c) => c.text)).toEqual(["c3", "c4"]);
    const third = await f.client.listComments(
      { imageId: image, page: { limit: 2, cursor: second.nextCursor } },
      options,
    );
    expect(third.comments.map((c) => c.text)).toEqual(["c5", "c6"]);
    expect(third.nextCursor).toBe(""); // the extra row did not come back: nothing more to read

    const all = await f.client.listComments({ imageId: image }, options);
    expect(all.comments.map((c) => c.id)).toEqual(ids);
    expect(all.nextCursor).toBe("");
    expect(all.comments[0]?.author).toMatchObject({ username: "carol" });
  });

  it("shows the username users events give, and follows renames", async () => {
    const f = await start();
    const dave = newId();
    const image = await f.imageOf(newId());
    await f.client.createComment({ imageId: image, text: "hello" }, await f.as(dave)); // token without a username
    await f.applied(await f.deliver("users", "CREATED", dave, { userId: dave, username: "dave" }));
    const named = await f.client.listComments({ imageId: image }, await f.as(dave));
    expect(named.comments[0]?.author).toMatchObject({ id: dave, username: "dave" });
    await f.applied(await f.deliver("users", "UPDATED", dave, { userId: dave, username: "dave.k" }));
    const renamed = await f.client.listComments({ imageId: image }, await f.as(dave));
    expect(renamed.comments[0]?.author?.username).toBe("dave.k");
  });

  it("refuses a bad limit or cursor with InvalidArgument and an unknown image with NotFound", async () => {
    const f = await start();
    const image = await f.imageOf(newId());
    const options = await f.as(newId());
    for (const page of [
      { limit: 101, cursor: "" },
      { limit: -1, cursor: "" },
      { limit: 10, cursor: "garbage!" },
    ]) {
      expect((await failure(f.client.listComments({ imageId: image, page }, options))).code).toBe(
        Code.InvalidArgument,
      );
    }
    expect((await failure(f.client.listComments({ imageId: newId() }, options))).code).toBe(Code.NotFound);
  });
});

describe("DeleteComment", () => {
  async function scene() {
    const f = await start();
    const owner = newId();
    const author = newId();
    const image = await f.imageOf(owner);
    const write = async () =>
      (await f.client.createComment({ imageId: image, text: "hmm" }, await f.as(author))).comment?.id ?? "";
    return { f, owner, author, image, write };
  }

  it("lets the author delete their comment and publishes comments.DELETED keyed by image", async () => {
    const { f, author, image, write } = await scene();
    const commentId = await write();
    await f.client.deleteComment({ imageId: image, commentId }, await f.as(author));
    expect((await f.client.listComments({ imageId: image }, await f.as(author))).comments).toEqual([]);
    const events = await f.published(image);
    expect(events.map((e) => `${e.type}:${e.aggregateId}`)).toEqual([`CREATED:${image}`, `DELETED:${image}`]);
    expect(events[1]?.payload).toMatchObject({ commentId, imageId: image, authorId: author });
  });

  it("lets the image's owner delete anyone's comment on it", async () => {
    const { f, owner, image, write } = await scene();
    const commentId = await write();
    await f.client.deleteComment({ imageId: image, commentId }, await f.as(owner));
    expect((await f.client.listComments({ imageId: image }, await f.as(owner))).comments).toEqual([]);
  });

  it("refuses anybody else with PermissionDenied and keeps the comment", async () => {
    const { f, image, write } = await scene();
    const commentId = await write();
    const error = await failure(f.client.deleteComment({ imageId: image, commentId }, await f.as(newId())));
    expect(error.code).toBe(Code.PermissionDenied);
    const left = await f.client.listComments({ imageId: image }, await f.as(newId()));
    expect(left.comments.map((c) => c.id)).toEqual([commentId]);
    expect((await f.published(image)).filter((e) => e.type === "DELETED")).toEqual([]);
  });

  it("answers NotFound for an unknown comment, a comment of another image, an unknown image, and a second delete", async () => {
    const { f, owner, author, image, write } = await scene();
    const commentId = await write();
    const otherImage = await f.imageOf(owner);
    const options = await f.as(author);
    for (const request of [
      { imageId: image, commentId: newId() },
      { imageId: image, commentId: "nope" },
      { imageId: otherImage, commentId },
      { imageId: newId(), commentId },
    ]) {
      expect((await failure(f.client.deleteComment(request, options))).code).toBe(Code.NotFound);
    }
    await f.client.deleteComment({ imageId: image, commentId }, options);
    expect((await failure(f.client.deleteComment({ imageId: image, commentId }, options))).code).toBe(
      Code.NotFound,
    );
    expect((await f.published(image, otherImage)).filter((e) => e.type === "DELETED")).toHaveLength(1);
  });
});
