import { describe, expect, it } from "vitest";
import { createTestbed, problemOf } from "../testing/testbed.ts";

describe("GET /v1/users/me", () => {
  it("returns the caller's profile with every contract field", async () => {
    const gateway = await createTestbed();
    const { authorization } = await gateway.signedUp("alice");
    const response = await gateway.request("/v1/users/me", { token: authorization });
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({
      id: "acc-alice",
      username: "alice",
      displayName: "",
      bio: "",
      followersCount: 0,
      followingCount: 0,
      imagesCount: 0,
      createdAt: "2025-01-02T03:04:05.678Z",
      followedByMe: false,
    });
    expect(gateway.world.received).toEqual([{ method: "GetProfile", authorization }]);
  });

  it("answers 401 without a token", async () => {
    const gateway = await createTestbed();
    expect((await gateway.request("/v1/users/me")).status).toBe(401);
  });
});

describe("PATCH /v1/users/me", () => {
  it("updates only the fields given", async () => {
    const gateway = await createTestbed();
    const { account, authorization } = await gateway.signedUp("alice");
    gateway.world.bios.set(account.id, "old bio");
    const response = await gateway.request("/v1/users/me", {
      method: "PATCH",
      token: authorization,
      json: { displayName: "Alice A." },
    });
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({ displayName: "Alice A.", bio: "old bio" });
  });

  it("answers 400 to a field of the wrong type, naming it", async () => {
    const gateway = await createTestbed();
    const { authorization } = await gateway.signedUp("alice");
    const response = await gateway.request("/v1/users/me", {
      method: "PATCH",
      token: authorization,
      json: { displayName: 7, bio: null },
    });
    expect(response.status).toBe(400);
    expect((await problemOf(response)).errors?.map((e) => e.path)).toEqual(["displayName", "bio"]);
  });

  it("passes the service's rule violations through as a 400", async () => {
    const gateway = await createTestbed();
    const { authorization } = await gateway.signedUp("alice");
    const response = await gateway.request("/v1/users/me", {
      method: "PATCH",
      token: authorization,
      json: { bio: "b".repeat(151) },
    });
    expect(response.status).toBe(400);
    expect((await problemOf(response)).errors).toEqual([
      { path: "bio", message: "must be at most 150 characters" },
    ]);
  });
});

describe("GET /v1/users/{username}", () => {
  it("returns the profile, seen by the caller", async () => {
    const gateway = await createTestbed();
    const { account: bob } = await gateway.signedUp("bob");
    const { account: alice, authorization } = await gateway.signedUp("alice");
    gateway.world.follows.set(alice.id, new Set([bob.id]));
    const response = await gateway.request("/v1/users/bob", { token: authorization });
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({ username: "bob", followersCount: 1, followedByMe: true });
  });

  it("answers 404 for an unknown user", async () => {
    const gateway = await createTestbed();
    const { authorization } = await gateway.signedUp("alice");
    const response = await gateway.request("/v1/users/nobody", { token: authorization });
    expect(response.status).toBe(404);
    expect(await problemOf(response)).toMatchObject({ status: 404, detail: "no user nobody" });
  });
});

describe("GET /v1/users?query=", () => {
  it("pages through matching profiles with nextCursor, null at the end", async () => {
    const gateway = await createTestbed();
    for (const name of ["anna", "anton", "andrea", "bob"]) await gateway.signedUp(name);
    const { authorization } = await gateway.signedUp("zed");
    const first = await gateway.request("/v1/users?query=an&limit=2", { token: authorization });
    expect(first.status).toBe(200);
    const page1 = await first.json();
    expect(page1.items.map((p: { username: string }) => p.username)).toEqual(["anna", "anton"]);
    expect(page1.nextCursor).toEqual(expect.any(String));
    const second = await gateway.request(`/v1/users?query=an&limit=2&cursor=${page1.nextCursor}`, {
      token: authorization,
    });
    const page2 = await second.json();
    expect(page2).toMatchObject({ items: [{ username: "andrea" }], nextCursor: null });
  });

  it("defaults the limit to 20", async () => {
    const gateway = await createTestbed();
    for (let i = 0; i < 25; i++) await gateway.signedUp(`user${String(i).padStart(2, "0")}`);
    const { authorization } = await gateway.signedUp("zed");
    const page = await (await gateway.request("/v1/users?query=user", { token: authorization })).json();
    expect(page.items).toHaveLength(20);
    expect(page.nextCursor).not.toBeNull();
  });

  it.each(["0", "101", "-1", "2.5", "many"])("answers 400 to limit=%s", async (limit) => {
    const gateway = await createTestbed();
    const { authorization } = await gateway.signedUp("alice");
    const response = await gateway.request(`/v1/users?query=a&limit=${limit}`, { token: authorization });
    expect(response.status).toBe(400);
    expect((await problemOf(response)).errors?.[0]?.path).toBe("limit");
  });

  it("answers 400 without a query and to a cursor the service rejects", async () => {
    const gateway = await createTestbed();
    const { authorization } = await gateway.signedUp("alice");
    const missing = await gateway.request("/v1/users", { token: authorization });
    expect(missing.status).toBe(400);
    expect((await problemOf(missing)).errors?.[0]?.path).toBe("query");
    const badCursor = await gateway.request("/v1/users?query=a&cursor=bad", { token: authorization });
    expect(badCursor.status).toBe(400);
    expect((await problemOf(badCursor)).detail).toBe("the cursor is not valid");
  });
});
