import { describe, expect, it } from "vitest";
import { eventually } from "./eventually.ts";
import { newPerson } from "./people.ts";
import { expectProblem } from "./problems.ts";
import { gateway } from "./stack.ts";

describe("sessions", () => {
  const api = gateway();

  it("rotates the refresh token: the new pair works, the old refresh token is spent", async () => {
    const person = await newPerson(api, { prefix: "rot" });
    const first = await api.refresh(person.tokens.refreshToken);
    expect(first.status, first.text).toBe(200);
    expect(first.body.tokenType).toBe("Bearer");
    expect(first.body.refreshToken).not.toBe(person.tokens.refreshToken);
    expect((await api.as(first.body.accessToken).account()).body.id).toBe(person.id);

    expectProblem(await api.refresh(person.tokens.refreshToken), 401);
  });

  it("revokes the whole session when a spent refresh token comes back", async () => {
    const person = await newPerson(api, { prefix: "reuse" });
    const otherSession = await api.logIn(person.username, person.password);
    const second = await api.refresh(person.tokens.refreshToken);
    expect(second.status).toBe(200);
    const third = await api.refresh(second.body.refreshToken);
    expect(third.status).toBe(200);

    // A thief replays the token spent first: the newest token of that family dies with it.
    expectProblem(await api.refresh(person.tokens.refreshToken), 401);
    expectProblem(await api.refresh(third.body.refreshToken), 401);
    // Other sessions of the account are not that family.
    expect((await api.refresh(otherSession.body.refreshToken)).status).toBe(200);
  });

  it("logs out: the refresh token is dead afterwards", async () => {
    const person = await newPerson(api, { prefix: "out" });
    expectProblem(await api.logOut(person.tokens.refreshToken), 401); // no access token
    const out = await person.client.logOut(person.tokens.refreshToken);
    expect(out.status, out.text).toBe(204);
    expectProblem(await api.refresh(person.tokens.refreshToken), 401);
  });

  it("changes the password: other sessions die, the old password fails, the new one works", async () => {
    const person = await newPerson(api, { prefix: "pwd" });
    const other = await api.logIn(person.username, person.password);
    expect(other.status).toBe(200);

    expectProblem(await person.client.changePassword("not the password", "a brand new password"), 403);
    expectProblem(await person.client.changePassword(person.password, "short"), 400);
    expectProblem(await api.changePassword(person.password, "a brand new password"), 401);

    const changed = await person.client.changePassword(person.password, "a brand new password");
    expect(changed.status, changed.text).toBe(204);

    expectProblem(await api.refresh(other.body.refreshToken), 401);
    expect((await api.refresh(person.tokens.refreshToken)).status).toBe(200);
    expectProblem(await api.logIn(person.username, person.password), 401);
    expect((await api.logIn(person.username, "a brand new password")).status).toBe(200);
  });

  it("deletes an account only with its password, and its profile disappears", async () => {
    const person = await newPerson(api, { prefix: "del" });
    const viewer = await newPerson(api, { prefix: "delv" });

    expectProblem(await person.client.deleteAccount("not the password"), 403);
    expectProblem(await person.client.call("DELETE", "/v1/accounts/me", { json: {} }), 400);
    expectProblem(await api.deleteAccount(person.password), 401);

    const deleted = await person.client.deleteAccount(person.password);
    expect(deleted.status, deleted.text).toBe(204);

    expectProblem(await api.logIn(person.username, person.password), 401);
    expectProblem(await api.refresh(person.tokens.refreshToken), 401);
    await eventually(async () => {
      expectProblem(await viewer.client.profile(person.username), 404);
    });
  });
});
