import { describe, expect, it } from "vitest";
import { fakeUserService } from "../testing/fake-services.ts";
import { createTestbed, problemOf } from "../testing/testbed.ts";

describe("PUT and DELETE /v1/images/{id}/like", () => {
  it("likes and unlikes idempotently with 204", async () => {
    const gateway = await createTestbed();
    const bob = await gateway.signedUp("bob");
    const alice = await gateway.signedUp("alice");
    const image = gateway.posted(bob.account);
    for (let i = 0; i < 2; i++) {
      const response = await gateway.request(`/v1/images/${image.id}/like`, {
        method: "PUT",
        token: alice.authorization,
      });
      expect(response.status).toBe(204);
    }
    expect(gateway.world.likes.get(image.id)).toEqual([alice.account.id]);
    for (let i = 0; i < 2; i++) {
      const response = await gateway.request(`/v1/images/${image.id}/like`, {
        method: "DELETE",
        token: alice.authorization,
      });
      expect(response.status).toBe(204);
    }
    expect(gateway.world.likes.get(image.id)).toEqual([]);
  });

  it("answers 404 for an unknown image and 401 without a token", async () => {
    const gateway = await createTestbed();
    const { authorization } = await gateway.signedUp("alice");
    for (const method of ["PUT", "DELETE"]) {
      expect(
        (await gateway.request("/v1/images/img-404/like", { method, token: authorization })).status,
      ).toBe(404);
      expect((await gateway.request("/v1/images/img-404/like", { method })).status).toBe(401);
    }
  });
});

describe("GET /v1/images/{id}/likes", () => {
  async function likedImage() {
    const gateway = await createTestbed();
    const owner = await gateway.signedUp("owner");
    const viewer = await gateway.signedUp("viewer");
    const image = gateway.posted(owner.account);
    const likers = [];
    for (const name of ["carol", "dave", "erin"]) likers.push((await gateway.signedUp(name)).account);
    // newest like first, as image-service answers
    gateway.world.likes.set(image.id, likers.map((a) => a.id).reverse());
    gateway.world.follows.set(viewer.account.id, new Set([likers[1]?.id ?? ""]));
    return { gateway, viewer, image };
  }

  it("answers the likers' profiles, newest like first, paged", async () => {
    const { gateway, viewer, image } = await likedImage();
    const first = await gateway.request(`/v1/images/${image.id}/likes?limit=2`, {
      token: viewer.authorization,
    });
    expect(first.status).toBe(200);
    const page1 = await first.json();
    expect(page1.items.map((p: { username: string }) => p.username)).toEqual(["erin", "dave"]);
    expect(page1.items[1]).toMatchObject({ followedByMe: true, followersCount: 1 });
    expect(Object.keys(page1.items[0]).sort()).toEqual(
      [
        "id",
        "username",
        "displayName",
        "bio",
        "followersCount",
        "followingCount",
        "imagesCount",
        "createdAt",
        "followedByMe",
      ].sort(),
    );
    const page2 = await (
      await gateway.request(`/v1/images/${image.id}/likes?limit=2&cursor=${page1.nextCursor}`, {
        token: viewer.authorization,
      })
    ).json();
    expect(page2).toMatchObject({ items: [{ username: "carol" }], nextCursor: null });
    expect(gateway.world.received.filter((r) => r.method === "BatchGetProfiles")).toEqual([
      { method: "BatchGetProfiles", authorization: viewer.authorization },
      { method: "BatchGetProfiles", authorization: viewer.authorization },
    ]);
  });

  it("keeps the likes' order whatever order user-service answers in, leaving out unknown users", async () => {
    const gateway = await createTestbed({
      user: {
        async batchGetProfiles(request, ctx) {
          const answer = await fakeUserService(gateway.keys, gateway.world).batchGetProfiles(request, ctx);
          return { profiles: [...(answer.profiles ?? [])].reverse() };
        },
      },
    });
    const owner = await gateway.signedUp("owner");
    const carol = await gateway.signedUp("carol");
    const dave = await gateway.signedUp("dave");
    const image = gateway.posted(owner.account);
    gateway.world.likes.set(image.id, [dave.account.id, "acc-deleted-since", carol.account.id]);
    const response = await gateway.request(`/v1/images/${image.id}/likes`, { token: owner.authorization });
    expect(response.status).toBe(200);
    expect((await response.json()).items.map((p: { username: string }) => p.username)).toEqual([
      "dave",
      "carol",
    ]);
  });

  it("answers an empty page without asking user-service when nobody likes the image", async () => {
    const gateway = await createTestbed();
    const owner = await gateway.signedUp("owner");
    const image = gateway.posted(owner.account);
    const response = await gateway.request(`/v1/images/${image.id}/likes`, { token: owner.authorization });
    expect(await response.json()).toEqual({ items: [], nextCursor: null });
    expect(gateway.world.received.map((r) => r.method)).toEqual(["ListLikers"]);
  });

  it("answers 404 for an unknown image and 400 for limit=0", async () => {
    const gateway = await createTestbed();
    const { authorization } = await gateway.signedUp("alice");
    const unknown = await gateway.request("/v1/images/img-404/likes", { token: authorization });
    expect(unknown.status).toBe(404);
    expect((await problemOf(unknown)).status).toBe(404);
    const zero = await gateway.request("/v1/images/img-1/likes?limit=0", { token: authorization });
    expect(zero.status).toBe(400);
    expect((await problemOf(zero)).errors?.[0]?.path).toBe("limit");
  });
});
