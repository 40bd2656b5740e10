import { describe, expect, it } from "vitest";
import { newPerson, uniqueUsername } from "./people.ts";
import { expectProblem, problemPaths } from "./problems.ts";
import { gateway } from "./stack.ts";

describe("common passwords are refused (NIST 800-63B)", () => {
  const api = gateway();

  it("sign-up: 400 problem+json naming password, without echoing it", async () => {
    for (const password of ["password1", "Qwerty123", "iloveyou1"]) {
      const username = uniqueUsername("cmn");
      const reply = await api.signUp({ username, email: `${username}@example.com`, password });
      const problem = expectProblem(reply, 400);
      expect(problemPaths(problem)).toEqual(["password"]);
      expect(reply.text.toLowerCase()).not.toContain(password.toLowerCase());
    }
  });

  it("password change: 400 naming newPassword; the old password still works", async () => {
    const person = await newPerson(api, { prefix: "cmc" });
    const reply = await person.client.changePassword(person.password, "baseball1");
    expect(problemPaths(expectProblem(reply, 400))).toEqual(["newPassword"]);
    expect((await api.logIn(person.username, person.password)).status).toBe(200);
  });
});
