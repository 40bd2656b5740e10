import { describe, expect, it } from "vitest";
import { createTestbed, problemOf } from "../testing/testbed.ts";

async function imageWithUsers() {
  const gateway = await createTestbed();
  const owner = await gateway.signedUp("owner");
  const alice = await gateway.signedUp("alice");
  const mallory = await gateway.signedUp("mallory");
  const image = gateway.posted(owner.account);
  return { gateway, owner, alice, mallory, image };
}

describe("POST /v1/images/{id}/comments", () => {
  it("answers 201 with the comment in the contract's shape", async () => {
    const { gateway, alice, image } = await imageWithUsers();
    const response = await gateway.request(`/v1/images/${image.id}/comments`, {
      method: "POST",
      token: alice.authorization,
      json: { text: "  Lovely #Light @owner " },
    });
    expect(response.status).toBe(201);
    const comment = gateway.world.comments[0];
    expect(await response.json()).toEqual({
      id: comment?.id,
      imageId: image.id,
      author: { id: alice.account.id, username: "alice" },
      text: "Lovely #Light @owner",
      hashtags: ["light"],
      mentions: ["owner"],
      createdAt: comment?.createdAt.toISOString(),
    });
    expect(gateway.world.received).toEqual([{ method: "CreateComment", authorization: alice.authorization }]);
  });

  it("answers 400 naming the text field, from the service or the schema", async () => {
    const { gateway, alice, image } = await imageWithUsers();
    const blank = await gateway.request(`/v1/images/${image.id}/comments`, {
      method: "POST",
      token: alice.authorization,
      json: { text: "   " },
    });
    expect(blank.status).toBe(400);
    expect((await problemOf(blank)).errors).toEqual([{ path: "text", message: "must not be empty" }]);
    const missing = await gateway.request(`/v1/images/${image.id}/comments`, {
      method: "POST",
      token: alice.authorization,
      json: {},
    });
    expect(missing.status).toBe(400);
    expect((await problemOf(missing)).errors?.[0]?.path).toBe("text");
    const long = await gateway.request(`/v1/images/${image.id}/comments`, {
      method: "POST",
      token: alice.authorization,
      json: { text: "x".repeat(1001) },
    });
    expect(long.status).toBe(400);
  });

  it("answers 404 for an unknown image and 401 without a token", async () => {
    const { gateway, alice } = await imageWithUsers();
    const unknown = await gateway.request("/v1/images/img-404/comments", {
      method: "POST",
      token: alice.authorization,
      json: { text: "hi" },
    });
    expect(unknown.status).toBe(404);
    const anonymous = await gateway.request("/v1/images/img-1/comments", {
      method: "POST",
      json: { text: "hi" },
    });
    expect(anonymous.status).toBe(401);
  });
});

describe("GET /v1/images/{id}/comments", () => {
  it("pages the comments oldest first", async () => {
    const { gateway, alice, owner, image } = await imageWithUsers();
    for (const [who, text] of [
      [alice, "first"],
      [owner, "second"],
      [alice, "third"],
    ] as const) {
      await gateway.request(`/v1/images/${image.id}/comments`, {
        method: "POST",
        token: who.authorization,
        json: { text },
      });
    }
    const page1 = await (
      await gateway.request(`/v1/images/${image.id}/comments?limit=2`, { token: alice.authorization })
    ).json();
    expect(page1.items.map((c: { text: string }) => c.text)).toEqual(["first", "second"]);
    expect(page1.items[1].author).toEqual({ id: owner.account.id, username: "owner" });
    const page2 = await (
      await gateway.request(`/v1/images/${image.id}/comments?limit=2&cursor=${page1.nextCursor}`, {
        token: alice.authorization,
      })
    ).json();
    expect(page2).toMatchObject({ items: [{ text: "third" }], nextCursor: null });
  });

  it("answers 404 for an unknown image and 400 for limit=0", async () => {
    const { gateway, alice, image } = await imageWithUsers();
    expect(
      (await gateway.request("/v1/images/img-404/comments", { token: alice.authorization })).status,
    ).toBe(404);
    const zero = await gateway.request(`/v1/images/${image.id}/comments?limit=0`, {
      token: alice.authorization,
    });
    expect(zero.status).toBe(400);
  });
});

describe("DELETE /v1/images/{id}/comments/{commentId}", () => {
  async function commented() {
    const world = await imageWithUsers();
    const response = await world.gateway.request(`/v1/images/${world.image.id}/comments`, {
      method: "POST",
      token: world.alice.authorization,
      json: { text: "hello" },
    });
    const { id } = (await response.json()) as { id: string };
    return { ...world, path: `/v1/images/${world.image.id}/comments/${id}` };
  }

  it("lets the author delete (204)", async () => {
    const { gateway, alice, path } = await commented();
    expect((await gateway.request(path, { method: "DELETE", token: alice.authorization })).status).toBe(204);
    expect(gateway.world.comments).toEqual([]);
    expect((await gateway.request(path, { method: "DELETE", token: alice.authorization })).status).toBe(404);
  });

  it("lets the image's owner delete (204)", async () => {
    const { gateway, owner, path } = await commented();
    expect((await gateway.request(path, { method: "DELETE", token: owner.authorization })).status).toBe(204);
  });

  it("refuses anyone else (403)", async () => {
    const { gateway, mallory, path } = await commented();
    const response = await gateway.request(path, { method: "DELETE", token: mallory.authorization });
    expect(response.status).toBe(403);
    expect((await problemOf(response)).title).toBe("Forbidden");
    expect(gateway.world.comments).toHaveLength(1);
  });

  it("answers 404 for an unknown comment or image", async () => {
    const { gateway, alice, image } = await commented();
    const unknownComment = `/v1/images/${image.id}/comments/cmt-404`;
    expect(
      (await gateway.request(unknownComment, { method: "DELETE", token: alice.authorization })).status,
    ).toBe(404);
    expect(
      (
        await gateway.request("/v1/images/img-404/comments/cmt-1", {
          method: "DELETE",
          token: alice.authorization,
        })
      ).status,
    ).toBe(404);
  });
});
