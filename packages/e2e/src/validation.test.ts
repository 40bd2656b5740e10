import { beforeAll, describe, expect, it } from "vitest";
import { oneShot } from "./one-shot.ts";
import { newPerson, type Person, uniqueUsername } from "./people.ts";
import { expectProblem, problemPaths } from "./problems.ts";
import { gateway } from "./stack.ts";

describe("bad input gets a 4xx problem, never a 5xx", () => {
  const api = gateway();
  let person: Person;
  beforeAll(async () => {
    person = await newPerson(api, { prefix: "val" });
  });

  it("rejects malformed JSON with 400", async () => {
    const reply = await api.call("POST", "/v1/accounts", {
      body: '{"username": "abc", "email":',
      headers: { "content-type": "application/json" },
    });
    expectProblem(reply, 400);
    expectProblem(
      await api.call("POST", "/v1/auth/login", {
        body: "[1, 2",
        headers: { "content-type": "application/json" },
      }),
      400,
    );
  });

  it("names each field of the wrong type", async () => {
    const problem = expectProblem(
      await api.call("POST", "/v1/accounts", { json: { username: 12345, email: true, password: ["x"] } }),
      400,
    );
    expect(problemPaths(problem)).toEqual(expect.arrayContaining(["username", "email", "password"]));
  });

  it("names each missing field", async () => {
    const problem = expectProblem(await api.call("POST", "/v1/accounts", { json: {} }), 400);
    expect(problemPaths(problem)).toEqual(expect.arrayContaining(["username", "email", "password"]));
    const login = expectProblem(
      await api.call("POST", "/v1/auth/login", { json: { username: "someone" } }),
      400,
    );
    expect(problemPaths(login)).toContain("password");
    expectProblem(await api.call("POST", "/v1/auth/refresh", { json: {} }), 400);
  });

  it("applies the username, email and password rules", async () => {
    const fine = { username: uniqueUsername("rule"), email: "rule@example.com", password: "long enough pw" };
    const cases: [Record<string, string>, string][] = [
      [{ ...fine, username: "ab" }, "username"],
      [{ ...fine, username: "a".repeat(31) }, "username"],
      [{ ...fine, username: "has space" }, "username"],
      [{ ...fine, username: "émile" }, "username"],
      [{ ...fine, email: "not-an-email" }, "email"],
      [{ ...fine, password: "short" }, "password"],
      [{ ...fine, password: "p".repeat(129) }, "password"],
    ];
    for (const [body, field] of cases) {
      const problem = expectProblem(await api.signUp(body as typeof fine), 400);
      expect(problemPaths(problem), JSON.stringify(body)).toContain(field);
    }
  });

  it("refuses an oversize body with 413, and closes that connection", async () => {
    const huge = JSON.stringify({
      username: "abc",
      email: "a@example.com",
      password: "x".repeat(2 * 1024 * 1024),
    });
    const signUp = await oneShot(new URL("/v1/accounts", api.baseUrl).href, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: huge,
    });
    const patch = await oneShot(new URL("/v1/users/me", api.baseUrl).href, {
      method: "PATCH",
      headers: { "content-type": "application/json", authorization: `Bearer ${person.tokens.accessToken}` },
      body: JSON.stringify({ bio: "b".repeat(3 * 1024 * 1024) }),
    });
    for (const reply of [signUp, patch]) {
      expectProblem(reply, 413);
      // Answered before the body was read: a client must not send its next request on this connection.
      expect(reply.headers.get("connection")).toBe("close");
    }
  });

  it("refuses a body that is not JSON", async () => {
    const reply = await api.call("POST", "/v1/auth/login", {
      body: "username=a&password=b",
      headers: { "content-type": "application/x-www-form-urlencoded" },
    });
    expect([400, 415]).toContain(reply.status);
    expectProblem(reply, reply.status);
  });

  it("refuses limit=0, limit=101, a non-number limit and a garbage cursor with 400", async () => {
    const lists = [
      (query: string) => `/v1/users/${person.username}/followers${query}`,
      (query: string) => `/v1/users/${person.username}/following${query}`,
      (query: string) => `/v1/users?query=${person.username.slice(0, 3)}&${query.slice(1)}`,
    ];
    for (const list of lists) {
      for (const query of [
        "?limit=0",
        "?limit=101",
        "?limit=ten",
        "?limit=-1",
        "?cursor=not-a-cursor!!",
        "?cursor=eyJ4IjoxfQ",
      ]) {
        expectProblem(await person.client.call("GET", list(query)), 400);
      }
      const ok = await person.client.call("GET", list("?limit=100"));
      expect(ok.status, ok.text).toBe(200);
    }
  });

  it("answers nonsense in paths and odd usernames without a 5xx", async () => {
    const paths = [
      "/v1/users/%00",
      `/v1/users/${"x".repeat(300)}`,
      "/v1/users/..%2f..%2fetc/followers",
      "/v1/users/'%20or%201=1--",
      "/v1/users/UPPER.case",
    ];
    for (const path of paths) {
      const reply = await person.client.call("GET", path);
      expect(reply.status, `${path}: ${reply.text}`).toBeGreaterThanOrEqual(400);
      expect(reply.status, `${path}: ${reply.text}`).toBeLessThan(500);
    }
  });
});
