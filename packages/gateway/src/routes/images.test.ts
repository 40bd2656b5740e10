import { Code, ConnectError } from "@connectrpc/connect";
import { describe, expect, it } from "vitest";
import { createTestbed, problemOf } from "../testing/testbed.ts";

async function twoUsers() {
  const gateway = await createTestbed();
  const bob = await gateway.signedUp("bob");
  const alice = await gateway.signedUp("alice");
  return { gateway, bob, alice };
}

describe("GET /v1/images/{id}", () => {
  it("answers the image in the contract's shape", async () => {
    const { gateway, bob, alice } = await twoUsers();
    const image = gateway.posted(bob.account, "Sunset with @alice #Beach #beach");
    gateway.world.likes.set(image.id, [alice.account.id]);
    const response = await gateway.request(`/v1/images/${image.id}`, { token: alice.authorization });
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({
      id: image.id,
      owner: { id: bob.account.id, username: "bob" },
      caption: "Sunset with @alice #Beach #beach",
      hashtags: ["beach"],
      mentions: ["alice"],
      contentType: "image/png",
      width: 640,
      height: 480,
      likesCount: 1,
      commentsCount: 0,
      likedByMe: true,
      createdAt: image.createdAt.toISOString(),
      urls: {
        original: `/v1/images/${image.id}/content?size=original`,
        thumbnail: `/v1/images/${image.id}/content?size=thumbnail`,
      },
    });
    expect(gateway.world.received).toEqual([{ method: "GetImage", authorization: alice.authorization }]);
  });

  it("answers 404 for an unknown image and 401 without a token", async () => {
    const { gateway, alice } = await twoUsers();
    const unknown = await gateway.request("/v1/images/img-404", { token: alice.authorization });
    expect(unknown.status).toBe(404);
    expect((await problemOf(unknown)).detail).toBe("image not found");
    expect((await gateway.request("/v1/images/img-1")).status).toBe(401);
  });

  it("answers 503 without internals when image-service is down", async () => {
    const gateway = await createTestbed({
      image: {
        async getImage() {
          throw new ConnectError("connect ECONNREFUSED image-service.internal:8083", Code.Unavailable);
        },
      },
    });
    const { authorization } = await gateway.signedUp("alice");
    const response = await gateway.request("/v1/images/img-1", { token: authorization });
    expect(response.status).toBe(503);
    expect(JSON.stringify(await problemOf(response))).not.toContain("image-service.internal");
  });
});

describe("DELETE /v1/images/{id}", () => {
  it("lets the owner delete (204) and refuses anyone else (403)", async () => {
    const { gateway, bob, alice } = await twoUsers();
    const image = gateway.posted(bob.account);
    const refused = await gateway.request(`/v1/images/${image.id}`, {
      method: "DELETE",
      token: alice.authorization,
    });
    expect(refused.status).toBe(403);
    expect(gateway.world.images).toHaveLength(1);
    const deleted = await gateway.request(`/v1/images/${image.id}`, {
      method: "DELETE",
      token: bob.authorization,
    });
    expect(deleted.status).toBe(204);
    expect(await deleted.text()).toBe("");
    expect(gateway.world.images).toHaveLength(0);
    const again = await gateway.request(`/v1/images/${image.id}`, {
      method: "DELETE",
      token: bob.authorization,
    });
    expect(again.status).toBe(404);
  });
});

describe("GET /v1/users/{username}/images", () => {
  it("pages the user's images newest first", async () => {
    const { gateway, bob, alice } = await twoUsers();
    const first = gateway.posted(bob.account, "one");
    const second = gateway.posted(bob.account, "two");
    gateway.posted(alice.account, "not bob's");
    const third = gateway.posted(bob.account, "three");
    const page1 = await gateway.request("/v1/users/bob/images?limit=2", { token: alice.authorization });
    expect(page1.status).toBe(200);
    const body1 = await page1.json();
    expect(body1.items.map((i: { id: string }) => i.id)).toEqual([third.id, second.id]);
    expect(body1.nextCursor).toEqual(expect.any(String));
    const page2 = await (
      await gateway.request(`/v1/users/bob/images?limit=2&cursor=${body1.nextCursor}`, {
        token: alice.authorization,
      })
    ).json();
    expect(page2.items.map((i: { id: string }) => i.id)).toEqual([first.id]);
    expect(page2.nextCursor).toBeNull();
  });

  it("asks image-service alone, by username", async () => {
    const { gateway, bob, alice } = await twoUsers();
    gateway.posted(bob.account);
    const response = await gateway.request("/v1/users/bob/images", { token: alice.authorization });
    expect(response.status).toBe(200);
    expect(gateway.world.received).toEqual([
      { method: "ListUserImages", authorization: alice.authorization },
    ]);
  });

  it("asks user-service when image-service has not heard of the name yet, then lists by id", async () => {
    const asked: string[] = [];
    const gateway = await createTestbed({
      image: {
        async listUserImages(request) {
          asked.push(request.userId);
          if (request.userId === "bob") throw new ConnectError("user not found", Code.NotFound);
          return { images: [], nextCursor: "" };
        },
      },
    });
    const bob = await gateway.signedUp("bob");
    const alice = await gateway.signedUp("alice");
    const response = await gateway.request("/v1/users/bob/images", { token: alice.authorization });
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ items: [], nextCursor: null });
    expect(asked).toEqual(["bob", bob.account.id]);
  });

  it("answers 404 for a user neither service knows", async () => {
    const { gateway, alice } = await twoUsers();
    const response = await gateway.request("/v1/users/nobody/images", { token: alice.authorization });
    expect(response.status).toBe(404);
    expect((await problemOf(response)).detail).toBe("no user nobody");
    expect(gateway.world.received.map((r) => r.method)).toEqual(["ListUserImages", "GetProfile"]);
  });

  it.each(["0", "101", "-1", "ten"])("answers 400 to limit=%s", async (limit) => {
    const { gateway, alice } = await twoUsers();
    const response = await gateway.request(`/v1/users/bob/images?limit=${limit}`, {
      token: alice.authorization,
    });
    expect(response.status).toBe(400);
    expect((await problemOf(response)).errors?.[0]?.path).toBe("limit");
    expect(gateway.world.received).toEqual([]);
  });

  it("answers 400 to a cursor the service refuses", async () => {
    const { gateway, alice } = await twoUsers();
    const response = await gateway.request("/v1/users/bob/images?cursor=bad", { token: alice.authorization });
    expect(response.status).toBe(400);
  });
});

describe("GET /v1/tags/{tag}/images", () => {
  it("lists the images with the tag, newest first, in any case", async () => {
    const { gateway, bob, alice } = await twoUsers();
    const older = gateway.posted(bob.account, "#sunset at sea");
    gateway.posted(bob.account, "#sunrise");
    const newer = gateway.posted(alice.account, "another #Sunset");
    const response = await gateway.request("/v1/tags/SunSet/images", { token: alice.authorization });
    expect(response.status).toBe(200);
    const body = await response.json();
    expect(body.items.map((i: { id: string }) => i.id)).toEqual([newer.id, older.id]);
    expect(body.nextCursor).toBeNull();
  });

  it("takes letters of any script", async () => {
    const { gateway, bob, alice } = await twoUsers();
    const image = gateway.posted(bob.account, "#été");
    const response = await gateway.request(`/v1/tags/${encodeURIComponent("été")}/images`, {
      token: alice.authorization,
    });
    expect(response.status).toBe(200);
    expect((await response.json()).items.map((i: { id: string }) => i.id)).toEqual([image.id]);
  });

  it.each([
    ["a dash", "no-dash"],
    ["a space", "two%20words"],
    ["101 characters", "a".repeat(101)],
    ["a hash sign", "%23tag"],
  ])("answers 400 to a tag with %s, without asking image-service", async (_what, tag) => {
    const { gateway, alice } = await twoUsers();
    const response = await gateway.request(`/v1/tags/${tag}/images`, { token: alice.authorization });
    expect(response.status).toBe(400);
    expect((await problemOf(response)).errors?.[0]?.path).toBe("tag");
    expect(gateway.world.received).toEqual([]);
  });

  it("takes a 100-character tag", async () => {
    const { gateway, alice } = await twoUsers();
    const response = await gateway.request(`/v1/tags/${"a".repeat(100)}/images`, {
      token: alice.authorization,
    });
    expect(response.status).toBe(200);
  });
});

describe("GET /v1/users/{username}/mentions", () => {
  it("lists the images mentioning the user, newest first", async () => {
    const { gateway, bob } = await twoUsers();
    const older = gateway.posted(bob.account, "with @alice");
    gateway.posted(bob.account, "with @bob");
    const newer = gateway.posted(bob.account, "again @Alice!");
    const response = await gateway.request("/v1/users/alice/mentions", { token: bob.authorization });
    expect(response.status).toBe(200);
    const body = await response.json();
    expect(body.items.map((i: { id: string }) => i.id)).toEqual([newer.id, older.id]);
    expect(body.items[0].owner).toEqual({ id: bob.account.id, username: "bob" });
  });

  it("answers 404 for an unknown user (image-service alone would answer an empty page)", async () => {
    const { gateway, alice } = await twoUsers();
    const response = await gateway.request("/v1/users/nobody/mentions", { token: alice.authorization });
    expect(response.status).toBe(404);
    expect(gateway.world.received.map((r) => r.method)).toEqual(["GetProfile"]);
  });

  it("answers 400 to limit=0", async () => {
    const { gateway, alice } = await twoUsers();
    const response = await gateway.request("/v1/users/alice/mentions?limit=0", {
      token: alice.authorization,
    });
    expect(response.status).toBe(400);
  });
});
