import { beforeAll, describe, expect, it } from "vitest";
import type { Client, Comment } from "./client.ts";
import { eventually } from "./eventually.ts";
import { postPicture } from "./gallery.ts";
import { everyPage } from "./pages.ts";
import { newPeople, type Person } from "./people.ts";
import { expectProblem, problemPaths } from "./problems.ts";
import { gateway } from "./stack.ts";

const unknownId = "0192f0a4-8b1c-7def-8123-456789abcdef";

async function commented(client: Client, imageId: string, text: string): Promise<Comment> {
  const reply = await client.comment(imageId, text);
  expect(reply.status, reply.text).toBe(201);
  return reply.body;
}

/** commentsCount follows comments through events: it may lag a little. */
function expectCommentsCount(viewer: Client, imageId: string, count: number): Promise<void> {
  return eventually(
    async () => {
      const reply = await viewer.image(imageId);
      expect(reply.status, reply.text).toBe(200);
      expect(reply.body.commentsCount).toBe(count);
    },
    { timeoutMs: 5_000 },
  );
}

describe("comments", () => {
  const api = gateway();
  let owner: Person;
  let writer: Person;
  let bystander: Person;
  beforeAll(async () => {
    [owner, writer, bystander] = (await newPeople(api, 3, { prefix: "cmt" })) as [Person, Person, Person];
  });

  it("creates a comment (201) with its hashtags and mentions read from the text", async () => {
    const image = await postPicture(owner.client, "comment here");
    const before = Date.now();
    const comment = await commented(
      writer.client,
      image.id,
      `Lovely #Light, @${owner.username}! #light #Ombre`,
    );
    expect(comment).toEqual({
      id: comment.id,
      imageId: image.id,
      author: { id: writer.id, username: writer.username },
      text: `Lovely #Light, @${owner.username}! #light #Ombre`,
      hashtags: ["light", "ombre"],
      mentions: [owner.username],
      createdAt: comment.createdAt,
    });
    expect(comment.createdAt).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z$/);
    expect(Date.parse(comment.createdAt)).toBeGreaterThanOrEqual(before - 5_000);
    const listed = await bystander.client.comments(image.id);
    expect(listed.status, listed.text).toBe(200);
    expect(listed.body).toEqual({ items: [comment], nextCursor: null });
  });

  it("takes 1 to 1000 characters and refuses 0, blank and 1001 with 400", async () => {
    const image = await postPicture(owner.client);
    await commented(writer.client, image.id, "k");
    await commented(writer.client, image.id, "x".repeat(1000));
    await commented(writer.client, image.id, "🙂".repeat(1000)); // characters, not UTF-16 units
    for (const text of ["", "   \n ", "x".repeat(1001), "🙂".repeat(1001)]) {
      const problem = expectProblem(await writer.client.comment(image.id, text), 400);
      expect(problemPaths(problem)).toContain("text");
    }
    expectProblem(await writer.client.call("POST", `/v1/images/${image.id}/comments`, { json: {} }), 400);
    expectProblem(
      await writer.client.call("POST", `/v1/images/${image.id}/comments`, { json: { text: 5 } }),
      400,
    );
    expect((await writer.client.comments(image.id)).body.items).toHaveLength(3);
    expectProblem(await api.comment(image.id, "no token"), 401);
  });

  it("lists oldest first, page by page, with nothing lost or repeated while comments keep coming", {
    timeout: 120_000,
  }, async () => {
    const image = await postPicture(owner.client);
    const early: Comment[] = [];
    for (let i = 0; i < 9; i += 1)
      early.push(await commented(i % 2 ? writer.client : owner.client, image.id, `early ${i}`));

    const seen: Comment[] = [];
    const added: Comment[] = [];
    let cursor: string | undefined;
    let pages = 0;
    do {
      const page = await bystander.client.comments(image.id, { limit: 4, cursor });
      expect(page.status, page.text).toBe(200);
      expect(page.body.items.length).toBeLessThanOrEqual(4);
      seen.push(...page.body.items);
      cursor = page.body.nextCursor ?? undefined;
      // New comments while the reader is mid-way: they come after everything it has seen.
      if (cursor !== undefined && pages < 3)
        added.push(await commented(bystander.client, image.id, `late ${pages}`));
      pages += 1;
    } while (cursor !== undefined && pages < 20);

    // Oldest first: new comments land at the end, so a reader paging forward sees them all.
    expect(seen.map((c) => c.id)).toEqual([...early, ...added].map((c) => c.id));
    const times = seen.map((c) => Date.parse(c.createdAt));
    expect([...times].sort((a, b) => a - b)).toEqual(times);
    const again = await everyPage((page) => owner.client.comments(image.id, page), 5);
    expect(again.map((c) => c.text)).toEqual([...early, ...added].map((c) => c.text));
    for (const limit of ["0", "101"]) expectProblem(await owner.client.comments(image.id, { limit }), 400);
  });

  it("lets the author and the image's owner delete a comment, nobody else", async () => {
    const image = await postPicture(owner.client);
    const mine = await commented(writer.client, image.id, "mine");
    const theirs = await commented(bystander.client, image.id, "theirs");
    const kept = await commented(bystander.client, image.id, "kept");

    expectProblem(await bystander.client.deleteComment(image.id, mine.id), 403);
    expectProblem(await writer.client.deleteComment(image.id, theirs.id), 403);
    expect((await writer.client.deleteComment(image.id, mine.id)).status).toBe(204); // its author
    expect((await owner.client.deleteComment(image.id, theirs.id)).status).toBe(204); // the image's owner
    const left = await owner.client.comments(image.id);
    expect(left.body.items.map((c) => c.id)).toEqual([kept.id]);

    expectProblem(await writer.client.deleteComment(image.id, mine.id), 404); // already gone
    expectProblem(await owner.client.deleteComment(image.id, unknownId), 404);
    const elsewhere = await postPicture(owner.client);
    expectProblem(await owner.client.deleteComment(elsewhere.id, kept.id), 404); // not this image's
    expectProblem(await api.deleteComment(image.id, kept.id), 401);
  });

  it("answers 404 for the comments of an image that does not exist or no longer does", async () => {
    expectProblem(await writer.client.comment(unknownId, "hello?"), 404);
    expectProblem(await writer.client.comments(unknownId), 404);
    expectProblem(await writer.client.deleteComment(unknownId, unknownId), 404);
    const image = await postPicture(owner.client);
    await commented(writer.client, image.id, "before it went");
    expect((await owner.client.deleteImage(image.id)).status).toBe(204);
    await eventually(async () => {
      expectProblem(await writer.client.comment(image.id, "after it went"), 404);
      expectProblem(await writer.client.comments(image.id), 404);
    });
  });

  it("keeps the image's commentsCount in step with creates and deletes", async () => {
    const image = await postPicture(owner.client);
    expect(image.commentsCount).toBe(0);
    const made = [];
    for (let i = 0; i < 4; i += 1)
      made.push(await commented(i % 2 ? writer.client : bystander.client, image.id, `n${i}`));
    await expectCommentsCount(bystander.client, image.id, 4);
    expect((await writer.client.deleteComment(image.id, made[1]!.id)).status).toBe(204);
    expect((await owner.client.deleteComment(image.id, made[0]!.id)).status).toBe(204);
    await expectCommentsCount(bystander.client, image.id, 2);
    const listed = (await owner.client.userImages(owner.username)).body.items.find((i) => i.id === image.id);
    expect(listed?.commentsCount).toBe(2);
  });
});
