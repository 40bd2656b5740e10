import { describe, expect, it } from "vitest";
import { newPerson } from "./people.ts";
import { expectProblem } from "./problems.ts";
import { gateway } from "./stack.ts";

describe("login lockout is per account", () => {
  const api = gateway();

  it("5 wrong passwords by username: the right password by email is refused (429), other accounts are not", async () => {
    const person = await newPerson(api, { prefix: "lck" });
    const bystander = await newPerson(api, { prefix: "lcb" });
    for (let i = 0; i < 5; i++) expectProblem(await api.logIn(person.username, "not the password"), 401);
    for (const name of [person.email, person.email.toUpperCase()]) {
      const locked = expectProblem(await api.logIn(name, person.password), 429);
      expect(locked.detail ?? locked.title).toMatch(/too many/i);
    }
    expect((await api.logIn(bystander.email, bystander.password)).status).toBe(200);
  });

  it("failures by email lock the username too, in any case", async () => {
    const person = await newPerson(api, { prefix: "lcm" });
    for (let i = 0; i < 5; i++) expectProblem(await api.logIn(person.email, "not the password"), 401);
    expectProblem(await api.logIn(person.username, person.password), 429);
    expectProblem(await api.logIn(person.username.toUpperCase(), person.password), 429);
  });
});
