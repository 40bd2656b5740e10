// Distributed mode only: events survive a consumer that is down.
import { describe, expect, it } from "vitest";
import { eventually } from "./eventually.ts";
import { newPeople } from "./people.ts";
import { expectProblem } from "./problems.ts";
import { gateway } from "./stack.ts";
import { control } from "./stack-control.ts";

describe("faults", () => {
  const api = gateway();

  it("delivers an account deletion made while user-service was down once it is back", {
    timeout: 180_000,
  }, async () => {
    const [leaving, friend] = await newPeople(api, 2, { prefix: "flt" });
    expect((await friend!.client.follow(leaving!.username)).status).toBe(204);

    await control("kill", "user");
    try {
      // auth-service keeps working: it publishes accounts.DELETED through its outbox.
      const deleted = await leaving!.client.deleteAccount(leaving!.password);
      expect(deleted.status, deleted.text).toBe(204);
      // user-service is down: the gateway answers for it with a problem, not a hang or a crash.
      const meanwhile = await friend!.client.profile(leaving!.username);
      expect(meanwhile.status).toBeGreaterThanOrEqual(500);
      expectProblem(meanwhile, meanwhile.status);
    } finally {
      await control("restart", "user");
    }

    await eventually(
      async () => {
        expectProblem(await friend!.client.profile(leaving!.username), 404);
        const me = await friend!.client.me();
        expect(me.body.followingCount).toBe(0);
      },
      { timeoutMs: 120_000, intervalMs: 500 },
    );
  });
});
