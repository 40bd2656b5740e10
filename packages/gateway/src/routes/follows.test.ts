import { describe, expect, it } from "vitest";
import { createTestbed, problemOf } from "../testing/testbed.ts";

describe("PUT and DELETE /v1/users/{username}/follow", () => {
  it("follows and unfollows idempotently with 204", async () => {
    const gateway = await createTestbed();
    const { account: bob } = await gateway.signedUp("bob");
    const { account: alice, authorization } = await gateway.signedUp("alice");
    for (let i = 0; i < 2; i++) {
      const response = await gateway.request("/v1/users/bob/follow", { method: "PUT", token: authorization });
      expect(response.status).toBe(204);
    }
    expect([...(gateway.world.follows.get(alice.id) ?? [])]).toEqual([bob.id]);
    for (let i = 0; i < 2; i++) {
      const response = await gateway.request("/v1/users/bob/follow", {
        method: "DELETE",
        token: authorization,
      });
      expect(response.status).toBe(204);
    }
    expect(gateway.world.follows.get(alice.id)?.size).toBe(0);
  });

  it("answers 400 to following yourself and 404 to an unknown user", async () => {
    const gateway = await createTestbed();
    const { authorization } = await gateway.signedUp("alice");
    const self = await gateway.request("/v1/users/alice/follow", { method: "PUT", token: authorization });
    expect(self.status).toBe(400);
    expect((await problemOf(self)).detail).toBe("you cannot follow yourself");
    const unknown = await gateway.request("/v1/users/nobody/follow", { method: "PUT", token: authorization });
    expect(unknown.status).toBe(404);
    const unknownDelete = await gateway.request("/v1/users/nobody/follow", {
      method: "DELETE",
      token: authorization,
    });
    expect(unknownDelete.status).toBe(404);
  });

  it("answers 401 without a token", async () => {
    const gateway = await createTestbed();
    await gateway.signedUp("bob");
    expect((await gateway.request("/v1/users/bob/follow", { method: "PUT" })).status).toBe(401);
    expect((await gateway.request("/v1/users/bob/follow", { method: "DELETE" })).status).toBe(401);
  });
});

describe("GET /v1/users/{username}/followers and /following", () => {
  async function graph() {
    const gateway = await createTestbed();
    const { account: bob } = await gateway.signedUp("bob");
    const { account: carol } = await gateway.signedUp("carol");
    const { account: dave } = await gateway.signedUp("dave");
    const { authorization } = await gateway.signedUp("alice");
    gateway.world.follows.set(carol.id, new Set([bob.id]));
    gateway.world.follows.set(dave.id, new Set([bob.id]));
    gateway.world.follows.set(bob.id, new Set([carol.id]));
    return { gateway, authorization };
  }

  it("pages the followers", async () => {
    const { gateway, authorization } = await graph();
    const first = await gateway.request("/v1/users/bob/followers?limit=1", { token: authorization });
    expect(first.status).toBe(200);
    const page1 = await first.json();
    expect(page1.items.map((p: { username: string }) => p.username)).toEqual(["carol"]);
    const page2 = await (
      await gateway.request(`/v1/users/bob/followers?limit=1&cursor=${page1.nextCursor}`, {
        token: authorization,
      })
    ).json();
    expect(page2).toMatchObject({ items: [{ username: "dave" }], nextCursor: null });
  });

  it("lists the following", async () => {
    const { gateway, authorization } = await graph();
    const response = await gateway.request("/v1/users/bob/following", { token: authorization });
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({
      items: [{ username: "carol", followersCount: 1 }],
      nextCursor: null,
    });
  });

  it("answers 404 for an unknown user and 400 for a bad limit", async () => {
    const { gateway, authorization } = await graph();
    expect((await gateway.request("/v1/users/nobody/followers", { token: authorization })).status).toBe(404);
    expect((await gateway.request("/v1/users/nobody/following", { token: authorization })).status).toBe(404);
    const bad = await gateway.request("/v1/users/bob/following?limit=1000", { token: authorization });
    expect(bad.status).toBe(400);
    expect((await problemOf(bad)).errors?.[0]?.path).toBe("limit");
  });
});
