import { describe, expect, it } from "vitest";
import { eventually } from "./eventually.ts";
import { newPerson } from "./people.ts";
import { expectProblem } from "./problems.ts";
import { gateway } from "./stack.ts";

// Every verifier (gateway and services) polls auth-service's revoked sessions every 2 s: an ended
// session's access tokens are refused within a few seconds, not at their 15-min expiry.
const WITHIN_MS = 6_000;

describe("ended sessions end their access tokens", () => {
  const api = gateway();

  it("logout: the same access token gets 401 on /v1/users/me within seconds", async () => {
    const person = await newPerson(api, { prefix: "rvk" });
    expect((await person.client.me()).status).toBe(200);
    const out = await person.client.logOut(person.tokens.refreshToken);
    expect(out.status, out.text).toBe(204);
    const started = Date.now();
    await eventually(async () => expectProblem(await person.client.me(), 401), { timeoutMs: WITHIN_MS });
    // Each verifier (gateway, user-service, auth-service) refreshes on its own clock: every one of
    // them refuses the token within the bound, not necessarily at the same moment.
    await eventually(async () => expectProblem(await person.client.account(), 401), { timeoutMs: WITHIN_MS });
    expect(Date.now() - started).toBeLessThan(WITHIN_MS);
  });

  it("logout: a sensitive operation with the old token is refused at once (auth-service asks its database)", async () => {
    const person = await newPerson(api, { prefix: "rvs" });
    expect((await person.client.logOut(person.tokens.refreshToken)).status).toBe(204);
    expectProblem(await person.client.changePassword(person.password, "a brand new password"), 401);
    expectProblem(await person.client.deleteAccount(person.password), 401);
    expect((await api.logIn(person.username, person.password)).status).toBe(200);
  });

  it("password change: the other sessions' access tokens are refused; the changer's own still works", async () => {
    const person = await newPerson(api, { prefix: "rvp" });
    const other = await api.logIn(person.username, person.password);
    expect(other.status).toBe(200);
    const otherClient = api.as(other.body.accessToken);
    expect((await otherClient.me()).status).toBe(200);
    expect((await person.client.changePassword(person.password, "a brand new password")).status).toBe(204);
    await eventually(async () => expectProblem(await otherClient.me(), 401), { timeoutMs: WITHIN_MS });
    expectProblem(await otherClient.changePassword("a brand new password", "another new password"), 401);
    expect((await person.client.me()).status).toBe(200);
  });

  it("refresh-token reuse: every access token of the family is refused, other sessions go on", async () => {
    const person = await newPerson(api, { prefix: "rvr" });
    const otherSession = await api.logIn(person.username, person.password);
    const second = await api.refresh(person.tokens.refreshToken);
    expect(second.status).toBe(200);
    expectProblem(await api.refresh(person.tokens.refreshToken), 401);
    for (const token of [person.tokens.accessToken, second.body.accessToken]) {
      await eventually(async () => expectProblem(await api.as(token).me(), 401), { timeoutMs: WITHIN_MS });
    }
    expect((await api.as(otherSession.body.accessToken).me()).status).toBe(200);
  });
});
