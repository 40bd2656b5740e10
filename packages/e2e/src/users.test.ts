import { describe, expect, it } from "vitest";
import type { Profile } from "./client.ts";
import { newPeople, newPerson, uniqueUsername } from "./people.ts";
import { expectProblem, problemPaths } from "./problems.ts";
import { gateway } from "./stack.ts";

describe("users", () => {
  const api = gateway();

  it("updates my display name and bio, and others see them", async () => {
    const [person, viewer] = await newPeople(api, 2, { prefix: "edit" });
    const updated = await person!.client.updateMe({
      displayName: "Ada Lovelace",
      bio: "Poetical science ✨",
    });
    expect(updated.status, updated.text).toBe(200);
    expect(updated.body).toMatchObject({ displayName: "Ada Lovelace", bio: "Poetical science ✨" });

    const bioOnly = await person!.client.updateMe({ bio: "Analyst" });
    expect(bioOnly.body).toMatchObject({ displayName: "Ada Lovelace", bio: "Analyst" });

    const seen = await viewer!.client.profile(person!.username);
    expect(seen.status).toBe(200);
    expect(seen.body).toMatchObject({
      username: person!.username,
      displayName: "Ada Lovelace",
      bio: "Analyst",
    });
  });

  it("refuses a malformed profile update with field problems", async () => {
    const person = await newPerson(api, { prefix: "bad" });
    const problem = expectProblem(
      await person.client.call("PATCH", "/v1/users/me", { json: { displayName: 42, bio: ["no"] } }),
      400,
    );
    expect(problemPaths(problem).some((path) => path.includes("displayName") || path.includes("bio"))).toBe(
      true,
    );
    expectProblem(await api.updateMe({ bio: "anonymous" }), 401);
  });

  it("answers 404 for a username nobody has", async () => {
    const person = await newPerson(api, { prefix: "look" });
    expectProblem(await person.client.profile(uniqueUsername("ghost")), 404);
  });

  it("finds users by username prefix, page by page", async () => {
    const prefix = `s${Math.random().toString(36).slice(2, 8)}`;
    const people = await newPeople(api, 3, { prefix });
    const viewer = people[0]!.client;
    const all = await viewer.searchUsers(prefix);
    expect(all.status, all.text).toBe(200);
    expect(all.body.items.map((p) => p.username).sort()).toEqual(people.map((p) => p.username).sort());

    const exact = await viewer.searchUsers(people[1]!.username);
    expect(exact.body.items.map((p) => p.username)).toEqual([people[1]!.username]);

    const seen: Profile[] = [];
    let cursor: string | undefined;
    let pages = 0;
    do {
      const page = await viewer.searchUsers(prefix, { limit: 2, cursor });
      expect(page.status, page.text).toBe(200);
      expect(page.body.items.length).toBeLessThanOrEqual(2);
      seen.push(...page.body.items);
      cursor = page.body.nextCursor ?? undefined;
      pages += 1;
    } while (cursor !== undefined && pages < 10);
    expect(pages).toBeGreaterThanOrEqual(2);
    expect(seen.map((p) => p.username).sort()).toEqual(people.map((p) => p.username).sort());

    const none = await viewer.searchUsers(`${prefix}zzzz`);
    expect(none.body).toEqual({ items: [], nextCursor: null });
  });
});
