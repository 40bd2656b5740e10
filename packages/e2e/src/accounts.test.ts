import { describe, expect, it } from "vitest";
import { newPerson, profileOf, uniqueUsername } from "./people.ts";
import { expectProblem } from "./problems.ts";
import { gateway } from "./stack.ts";

const rfc3339Utc = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z$/;

describe("accounts", () => {
  const api = gateway();

  it("signs up, logs in, and serves the account and the profile made from its event", async () => {
    const username = uniqueUsername("acc");
    const email = `${username}@example.com`;
    const signUp = await api.signUp({ username, email, password: "correct horse battery" });
    expect(signUp.status, signUp.text).toBe(201);
    expect(signUp.body).toMatchObject({ username, email });
    expect(typeof signUp.body.id).toBe("string");
    expect(signUp.body.createdAt).toMatch(rfc3339Utc);
    expect(Math.abs(Date.parse(signUp.body.createdAt) - Date.now())).toBeLessThan(60_000);

    const logIn = await api.logIn(username, "correct horse battery");
    expect(logIn.status, logIn.text).toBe(200);
    expect(logIn.body.tokenType).toBe("Bearer");
    expect(logIn.body.expiresIn).toBeGreaterThan(0);
    expect(logIn.body.expiresIn).toBeLessThanOrEqual(15 * 60);
    expect(logIn.body.accessToken.split(".")).toHaveLength(3);
    expect(logIn.body.refreshToken.length).toBeGreaterThan(16);

    const me = api.as(logIn.body.accessToken);
    const account = await me.account();
    expect(account.status, account.text).toBe(200);
    expect(account.body).toEqual(signUp.body);

    const profile = await profileOf(me, username);
    expect(profile).toMatchObject({
      id: signUp.body.id,
      username,
      bio: "",
      followersCount: 0,
      followingCount: 0,
      imagesCount: 0,
      followedByMe: false,
    });
    expect(typeof profile.displayName).toBe("string");
    const own = await me.me();
    expect(own.status).toBe(200);
    expect(own.body).toMatchObject({ id: signUp.body.id, username });
  });

  it("refuses a taken username or email, whatever its case, with 409", async () => {
    const taken = await newPerson(api, { prefix: "dup" });
    const byName = await api.signUp({
      username: taken.username,
      email: `other-${taken.username}@example.com`,
      password: "another password",
    });
    expectProblem(byName, 409);
    const byNameUpper = await api.signUp({
      username: taken.username.toUpperCase(),
      email: `third-${taken.username}@example.com`,
      password: "another password",
    });
    expectProblem(byNameUpper, 409);
    const byEmail = await api.signUp({
      username: uniqueUsername("dup"),
      email: taken.email.toUpperCase(),
      password: "another password",
    });
    expectProblem(byEmail, 409);
  });

  it("logs in with the email address in place of the username", async () => {
    const person = await newPerson(api, { prefix: "mail" });
    const byEmail = await api.logIn(person.email, person.password);
    expect(byEmail.status, byEmail.text).toBe(200);
    const account = await api.as(byEmail.body.accessToken).account();
    expect(account.body.id).toBe(person.id);
    const byUpperEmail = await api.logIn(person.email.toUpperCase(), person.password);
    expect(byUpperEmail.status, byUpperEmail.text).toBe(200);
  });

  it("gives one and the same 401 for an unknown user and for a wrong password", async () => {
    const person = await newPerson(api, { prefix: "wrong" });
    const unknown = await api.logIn(uniqueUsername("nobody"), "some password");
    const wrong = await api.logIn(person.username, "not the password");
    const a = expectProblem(unknown, 401);
    const b = expectProblem(wrong, 401);
    expect({ ...a, instance: undefined }).toEqual({ ...b, instance: undefined });
  });

  it("throttles repeated failed logins of one account with 429", async () => {
    const person = await newPerson(api, { prefix: "thr" });
    const statuses: number[] = [];
    for (let attempt = 0; attempt < 12; attempt += 1) {
      statuses.push((await api.logIn(person.username, `wrong ${attempt}`)).status);
    }
    expect(statuses.slice(0, 3)).toEqual([401, 401, 401]);
    expect(statuses.at(-1)).toBe(429);
    expectProblem(await api.logIn(person.username, "wrong again"), 429);
  });

  it("publishes the public keys that verify access tokens", async () => {
    const jwks = await api.jwks();
    expect(jwks.status).toBe(200);
    expect(jwks.body.keys.length).toBeGreaterThan(0);
    for (const key of jwks.body.keys) {
      expect(["OKP", "EC"]).toContain(key.kty);
      expect(key.d).toBeUndefined();
      expect(typeof key.kid).toBe("string");
    }
  });
});
