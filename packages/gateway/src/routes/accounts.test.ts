import { Code, ConnectError } from "@connectrpc/connect";
import { fieldErrorMetadata } from "@instagram/kit";
import { describe, expect, it } from "vitest";
import { createTestbed, problemOf } from "../testing/testbed.ts";

describe("POST /v1/accounts", () => {
  it("creates an account: 201 with camelCase fields and an RFC 3339 UTC time", async () => {
    const gateway = await createTestbed();
    const response = await gateway.request("/v1/accounts", {
      method: "POST",
      json: { username: "alice", email: "alice@example.com", password: "correct horse" },
    });
    expect(response.status).toBe(201);
    expect(await response.json()).toEqual({
      id: "acc-1",
      username: "alice",
      email: "alice@example.com",
      createdAt: "2025-01-02T03:04:05.678Z",
    });
    expect(gateway.world.accounts.map((a) => a.username)).toEqual(["alice"]);
  });

  it("answers 409 with the field when the username is taken", async () => {
    const gateway = await createTestbed();
    await gateway.signedUp("alice");
    const response = await gateway.request("/v1/accounts", {
      method: "POST",
      json: { username: "alice", email: "other@example.com", password: "correct horse" },
    });
    expect(response.status).toBe(409);
    const problem = await problemOf(response);
    expect(problem).toMatchObject({ status: 409, title: "Conflict", type: "about:blank" });
    expect(problem.errors).toEqual([{ path: "username", message: "is already taken" }]);
  });

  it("passes the service's field problems through as a 400", async () => {
    const gateway = await createTestbed({
      auth: {
        async signUp() {
          throw new ConnectError(
            "invalid input",
            Code.InvalidArgument,
            fieldErrorMetadata([{ path: "password", message: "is too common" }]),
          );
        },
      },
    });
    const response = await gateway.request("/v1/accounts", {
      method: "POST",
      json: { username: "alice", email: "a@example.com", password: "password1" },
    });
    expect(response.status).toBe(400);
    expect((await problemOf(response)).errors).toEqual([{ path: "password", message: "is too common" }]);
  });

  it("refuses what breaks a documented rule before calling the service", async () => {
    const gateway = await createTestbed();
    const response = await gateway.request("/v1/accounts", {
      method: "POST",
      json: { username: "A!", email: "a@example", password: "short" },
    });
    expect(response.status).toBe(400);
    const problem = await problemOf(response);
    expect(problem.errors?.map((error) => error.path).sort()).toEqual(["email", "password", "username"]);
    expect(gateway.reached).toEqual([]);
  });

  it("answers 400 naming each missing or mistyped field without calling the service", async () => {
    const gateway = await createTestbed();
    const response = await gateway.request("/v1/accounts", {
      method: "POST",
      json: { username: 42, password: ["x"] },
    });
    expect(response.status).toBe(400);
    const problem = await problemOf(response);
    expect(problem.status).toBe(400);
    expect(problem.errors?.map((e) => e.path).sort()).toEqual(["email", "password", "username"]);
    expect(problem.errors?.find((e) => e.path === "email")?.message).toBe("is required");
    expect(gateway.world.accounts).toEqual([]);
  });

  it("answers 400 to a body that is not JSON", async () => {
    const gateway = await createTestbed();
    const response = await gateway.request("/v1/accounts", {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: "{username: alice",
    });
    expect(response.status).toBe(400);
    expect((await problemOf(response)).detail).toMatch(/JSON/);
  });

  it("answers 400 to a JSON body that is not an object", async () => {
    const gateway = await createTestbed();
    const response = await gateway.request("/v1/accounts", { method: "POST", json: ["alice"] });
    expect(response.status).toBe(400);
    expect((await problemOf(response)).errors?.[0]?.path).toBe("body");
  });

  it("answers 400 to a missing body and 415 to a body of another media type", async () => {
    const gateway = await createTestbed();
    const empty = await gateway.request("/v1/accounts", { method: "POST" });
    expect(empty.status).toBe(400);
    expect((await problemOf(empty)).detail).toMatch(/needs a JSON request body/);
    const text = await gateway.request("/v1/accounts", {
      method: "POST",
      headers: { "content-type": "text/plain" },
      body: "alice",
    });
    expect(text.status).toBe(415);
    await problemOf(text);
  });

  it("answers 413 to a body over the limit, before reading it all", async () => {
    const gateway = await createTestbed({ maxJsonBodyBytes: 1024 });
    const response = await gateway.request("/v1/accounts", {
      method: "POST",
      json: { username: "alice", email: "alice@example.com", password: "x".repeat(2000) },
    });
    expect(response.status).toBe(413);
    expect((await problemOf(response)).status).toBe(413);
    expect(response.headers.get("connection")).toBe("close");
    expect(gateway.world.accounts).toEqual([]);
  });

  it("answers 413 to an oversize chunked body without a Content-Length", async () => {
    const gateway = await createTestbed({ maxJsonBodyBytes: 1024 });
    const chunk = new TextEncoder().encode(JSON.stringify({ username: "x".repeat(3000) }));
    const body = new ReadableStream<Uint8Array>({
      start(controller) {
        controller.enqueue(chunk);
        controller.close();
      },
    });
    const response = await gateway.app.request("/v1/accounts", {
      method: "POST",
      headers: { "content-type": "application/json", "transfer-encoding": "chunked" },
      body,
      duplex: "half",
    } as RequestInit);
    expect(response.status).toBe(413);
  });
});

describe("GET /v1/accounts/me", () => {
  it("returns the caller's account, forwarding the token to auth-service", async () => {
    const gateway = await createTestbed();
    const { authorization } = await gateway.signedUp("alice");
    const response = await gateway.request("/v1/accounts/me", { token: authorization });
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({
      id: "acc-alice",
      username: "alice",
      email: "alice@example.com",
      createdAt: "2025-01-02T03:04:05.678Z",
    });
    expect(gateway.world.received).toEqual([{ method: "GetAccount", authorization }]);
  });

  it("answers 401 without a token and never calls the service", async () => {
    const gateway = await createTestbed();
    const response = await gateway.request("/v1/accounts/me");
    expect(response.status).toBe(401);
    expect(response.headers.get("www-authenticate")).toMatch(/^Bearer/);
    expect(gateway.world.received).toEqual([]);
  });

  it("answers 401 when the account behind a valid token is gone", async () => {
    const gateway = await createTestbed();
    const { authorization } = await gateway.signedUp("alice");
    gateway.world.accounts = [];
    const response = await gateway.request("/v1/accounts/me", { token: authorization });
    expect(response.status).toBe(401);
    expect(response.headers.get("www-authenticate")).toMatch(/^Bearer/);
  });
});

describe("PUT /v1/accounts/me/password", () => {
  it("changes the password: 204", async () => {
    const gateway = await createTestbed();
    const { account, authorization } = await gateway.signedUp("alice", "old password");
    const response = await gateway.request("/v1/accounts/me/password", {
      method: "PUT",
      token: authorization,
      json: { currentPassword: "old password", newPassword: "new password" },
    });
    expect(response.status).toBe(204);
    expect(await response.text()).toBe("");
    expect(account.password).toBe("new password");
  });

  it("answers 403 to a wrong current password and 400 to a weak new one", async () => {
    const gateway = await createTestbed();
    const { authorization } = await gateway.signedUp("alice", "old password");
    const wrong = await gateway.request("/v1/accounts/me/password", {
      method: "PUT",
      token: authorization,
      json: { currentPassword: "guess", newPassword: "new password" },
    });
    expect(wrong.status).toBe(403);
    expect((await problemOf(wrong)).errors).toEqual([{ path: "currentPassword", message: "is wrong" }]);
    const weak = await gateway.request("/v1/accounts/me/password", {
      method: "PUT",
      token: authorization,
      json: { currentPassword: "old password", newPassword: "short" },
    });
    expect(weak.status).toBe(400);
    expect((await problemOf(weak)).errors?.[0]?.path).toBe("newPassword");
  });

  it("answers 401 without a token", async () => {
    const gateway = await createTestbed();
    const response = await gateway.request("/v1/accounts/me/password", {
      method: "PUT",
      json: { currentPassword: "a", newPassword: "b" },
    });
    expect(response.status).toBe(401);
  });
});

describe("DELETE /v1/accounts/me", () => {
  it("deletes the account: 204", async () => {
    const gateway = await createTestbed();
    const { authorization } = await gateway.signedUp("alice", "my password");
    const response = await gateway.request("/v1/accounts/me", {
      method: "DELETE",
      token: authorization,
      json: { password: "my password" },
    });
    expect(response.status).toBe(204);
    expect(gateway.world.accounts).toEqual([]);
  });

  it("answers 403 to a wrong password and 401 without a token", async () => {
    const gateway = await createTestbed();
    const { authorization } = await gateway.signedUp("alice", "my password");
    const wrong = await gateway.request("/v1/accounts/me", {
      method: "DELETE",
      token: authorization,
      json: { password: "nope" },
    });
    expect(wrong.status).toBe(403);
    await problemOf(wrong);
    const anonymous = await gateway.request("/v1/accounts/me", { method: "DELETE", json: { password: "x" } });
    expect(anonymous.status).toBe(401);
    expect(gateway.world.accounts).toHaveLength(1);
  });
});
