import { describe, inject, it } from "vitest";
import {
  buildCascadeWorld,
  deleteLeavingAccount,
  expectNothingLeft,
  expectTheirTokenToCreateNothing,
  settle,
} from "./cascade.ts";
import { expectNoOrphans } from "./orphans.ts";
import { gateway } from "./stack.ts";

describe("account deletion cascade", () => {
  const api = gateway();

  it("leaves nothing of a deleted user anywhere, and the counters of everyone else drop", {
    timeout: 180_000,
  }, async () => {
    const world = await buildCascadeWorld(api, "cas");
    const deletedAt = await deleteLeavingAccount(world);
    const settledMs = await settle(world, api, deletedAt, 30_000);
    console.info(`[cascade] ${inject("mode")}: settled ${settledMs} ms after DELETE /v1/accounts/me`);
    await expectTheirTokenToCreateNothing(world);
    await expectNothingLeft(world, api);
    await expectNoOrphans();
  });
});
