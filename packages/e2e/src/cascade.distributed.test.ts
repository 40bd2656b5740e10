// Distributed mode only: the deletion cascade while a consumer of it is down, and the audit CLI.
import { execFile } from "node:child_process";
import { createRequire } from "node:module";
import { dirname, join, resolve } from "node:path";
import { promisify } from "node:util";
import { describe, expect, inject, it } from "vitest";
import {
  buildCascadeWorld,
  type CascadeWorld,
  deleteLeavingAccount,
  expectTheirTokenToCreateNothing,
  settle,
} from "./cascade.ts";
import { eventually } from "./eventually.ts";
import { expectNoOrphans } from "./orphans.ts";
import { expectProblem } from "./problems.ts";
import { gateway } from "./stack.ts";
import { whileDown } from "./stack-control.ts";

const auditMain = join(dirname(createRequire(import.meta.url).resolve("@instagram/audit")), "main.ts");
const repositoryRoot = resolve(dirname(auditMain), "../../..");

/** What the rest of the stack gets done while one service is down: proof the cascade moved without it. */
const progressWithout: Record<string, (world: CascadeWorld) => Promise<void>> = {
  comment: async ({ friend, leaving, theirs }) => {
    expectProblem(await friend.client.profile(leaving.username), 404);
    for (const image of theirs) expectProblem(await friend.client.image(image.id), 404);
  },
  image: async ({ friend, leaving, friendsImage }) => {
    expectProblem(await friend.client.profile(leaving.username), 404);
    const left = await friend.client.comments(friendsImage.id);
    expect(left.status, left.text).toBe(200);
    expect(left.body.items.map((c) => c.author.username)).toEqual([friend.username]);
  },
};

describe("account deletion cascade with a service down", () => {
  const api = gateway();

  for (const [service, progress] of Object.entries(progressWithout)) {
    it(`finishes once ${service}-service, killed before the deletion, is back`, {
      timeout: 300_000,
    }, async () => {
      const world = await buildCascadeWorld(api, service === "comment" ? "cdc" : "cdi");
      const deletedAt = await whileDown(service, async () => {
        const at = await deleteLeavingAccount(world);
        await eventually(() => progress(world), { timeoutMs: 60_000, intervalMs: 250 });
        return at;
      });
      const backAfterMs = Date.now() - deletedAt;
      const settledMs = await settle(world, api, deletedAt, 150_000);
      console.info(
        `[cascade] distributed, ${service}-service killed: settled ${settledMs} ms after the deletion, ` +
          `${settledMs - backAfterMs} ms after the restart`,
      );
      await expectTheirTokenToCreateNothing(world);
      await expectNoOrphans(30_000);
    });
  }

  it("has an audit CLI that reports a clean store with exit code 0 and '0 orphans'", {
    timeout: 60_000,
  }, async () => {
    await expectNoOrphans();
    const target = inject("auditTarget");
    if (!target) throw new Error("the distributed suite provides an audit target");
    const run = await promisify(execFile)(
      process.execPath,
      ["--conditions=@instagram/source", "--import", "tsx", auditMain],
      {
        cwd: repositoryRoot,
        env: { ...process.env, DATABASE_URL: target.databaseUrl, BLOB_DIR: target.blobDir },
      },
    );
    expect(run.stdout.trim().split("\n").at(-1)).toBe("0 orphans");
  });
});
