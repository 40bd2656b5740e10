import { beforeAll, describe, expect, it } from "vitest";
import type { Client } from "./client.ts";
import { postPicture } from "./gallery.ts";
import { newPerson, type Person } from "./people.ts";
import { expectProblem } from "./problems.ts";
import { gateway } from "./stack.ts";
import { picture } from "./test-images.ts";

// One policy for both doors of the gateway, against the real services (which answer many reads
// anonymously themselves): the REST routes and the public Connect relay refuse alike.

function connect(api: Client, procedure: string, message: unknown, token?: string) {
  return api.call("POST", `/${procedure}`, {
    json: message,
    headers: { "connect-protocol-version": "1" },
    ...(token ? { token } : {}),
  });
}

describe("one policy for REST and the Connect relay", () => {
  const api = gateway();
  let alice: Person;
  let imageId: string;
  beforeAll(async () => {
    alice = await newPerson(api, { prefix: "pol" });
    imageId = (await postPicture(alice.client, "policy #x")).id;
  });

  it("refuses anonymous reads through the relay that REST refuses (Connect POST and GET)", async () => {
    const reads: [string, unknown][] = [
      ["instagram.image.v1.ImageService/GetImage", { id: imageId }],
      ["instagram.comment.v1.CommentService/ListComments", { imageId }],
      ["instagram.user.v1.UserService/GetProfile", { username: alice.username }],
      ["instagram.user.v1.UserService/SearchProfiles", { query: "pol" }],
      ["instagram.user.v1.UserService/ListFollowers", { username: alice.username }],
      ["instagram.image.v1.ImageService/ListUserImages", { userId: alice.id }],
      ["instagram.image.v1.ImageService/ListLikers", { id: imageId }],
      ["instagram.image.v1.ImageService/ListTagImages", { tag: "x" }],
    ];
    for (const [procedure, message] of reads) {
      const anonymous = await connect(api, procedure, message);
      expect(anonymous.status, procedure).toBe(401);
      expect(anonymous.body, procedure).toMatchObject({ code: "unauthenticated" });
      const query = `connect=v1&encoding=json&message=${encodeURIComponent(JSON.stringify(message))}`;
      expect((await api.call("GET", `/${procedure}?${query}`)).status, `GET ${procedure}`).toBe(401);
      expect((await connect(api, procedure, message, alice.tokens.accessToken)).status, procedure).toBe(200);
    }
    expectProblem(await api.call("GET", `/v1/images/${imageId}`), 401);
  });

  it("counts relayed logins against the account: REST then refuses the right password too", async () => {
    const bob = await newPerson(api, { prefix: "pol" });
    // The embedded stack allows 5 failures per account name (LOGIN_RATE_ACCOUNT_MAX_FAILURES).
    for (let i = 0; i < 5; i++) {
      const wrong = await connect(api, "instagram.auth.v1.AuthService/Login", {
        username: bob.username,
        password: "wrong horse battery",
      });
      expect(wrong.status).toBe(401);
    }
    const relayed = await connect(api, "instagram.auth.v1.AuthService/Login", {
      username: bob.username,
      password: bob.password,
    });
    expect(relayed.status).toBe(429);
    expect(relayed.headers.get("retry-after")).toMatch(/^\d+$/);
    const rest = await api.logIn(bob.username, bob.password);
    expectProblem(rest, 429);
  });

  it("refuses an upload that is not multipart/form-data with a boundary", async () => {
    const png = new Uint8Array(await picture("png", 8, 8));
    const upload = (contentType: string) =>
      fetch(new URL("/v1/images", api.baseUrl), {
        method: "POST",
        headers: { "content-type": contentType, authorization: `Bearer ${alice.tokens.accessToken}` },
        body: png,
      });
    for (const [contentType, status] of [
      ["multipart/form-data", 400],
      ["image/png", 415],
      ["application/octet-stream", 415],
    ] as const) {
      const reply = await upload(contentType);
      expect(reply.status, contentType).toBe(status);
      expect(reply.headers.get("content-type")).toMatch(/^application\/problem\+json/);
    }
  });

  it("holds to the contract: a required body, decimal limits, documented 400s", async () => {
    expectProblem(await alice.client.call("PATCH", "/v1/users/me"), 400);
    expectProblem(await alice.client.call("GET", "/v1/feed?limit=0x10"), 400);
    expectProblem(await alice.client.call("PUT", "/v1/users/a!/follow"), 400);
    expect((await alice.client.call("GET", "/v1/feed?limit=16")).status).toBe(200);
  });
});
