// Each service SIGKILLed in the middle of a load of writes and started again: only the writes that
// need the dead service fail (503 problem, quickly), none acknowledged is lost, counters end exact.
// Before that, with two user-service instances, the one the gateway calls is SIGKILLed under a
// read load: not one idempotent request fails (the gateway moves on to the other instance and
// skips the dead one). Then supervision: a service that dies on its own is started again.
import type { InstanceName } from "@instagram/stack";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type FaultStack, startFaultStack } from "./fault-stack.ts";
import { Ledger, report, type WriteKind } from "./ledger.ts";
import { readLoad } from "./read-load.ts";
import { settle } from "./settle.ts";
import { createPopulation, type Population, runLoad, sleep } from "./workload.ts";

let faults: FaultStack;
let population: Population;
const setUp = new Ledger();
beforeAll(async () => {
  faults = await startFaultStack();
  population = await createPopulation(faults.api, 8, setUp);
});
afterAll(async () => {
  await faults?.stop();
});

/** The writes a dead service may fail: those it serves (the gateway: all of them). */
const mayFail: Record<string, WriteKind[]> = {
  auth: [],
  user: ["follow"],
  image: ["like", "upload", "comment"], // a comment on a new image asks image-service who owns it
  comment: ["comment"],
  gateway: ["follow", "like", "comment", "upload"],
};

const kills: { name: string; instances: InstanceName[] }[] = [
  { name: "auth", instances: ["auth"] },
  { name: "user", instances: ["user", "user.2"] },
  { name: "image", instances: ["image"] },
  { name: "comment", instances: ["comment"] },
  { name: "gateway", instances: ["gateway"] },
];

describe("a user-service replica killed under load", () => {
  it("fails no idempotent request", async () => {
    const ledger = new Ledger();
    for (const write of setUp.writes) ledger.record(write);
    const window = sleep(8_000);
    const reads = readLoad(faults.stack.gatewayUrl, population, window);
    // follows are idempotent writes: they move on to the other instance too
    const writes = runLoad(faults.stack.gatewayUrl, population, ledger, {
      writes: 200,
      perSecond: 25,
      kinds: ["follow"],
    });
    await sleep(2_500);
    await faults.stack.kill("user");
    const outcome = await reads;
    await writes;
    await faults.stack.restart("user");
    const settled = await settle(population, ledger);
    report({
      scenario: "user-service replica SIGKILLed under read load (two replicas)",
      sent: ledger.writes.length - setUp.writes.length,
      acknowledged: ledger.acknowledged().length - setUp.writes.length,
      failed: ledger.failed().length,
      lost: settled.lost.length,
      convergeMs: settled.convergeMs,
      notes: `reads ${outcome.sent}, failed reads ${outcome.failed.length}`,
    });
    expect(outcome.failed).toEqual([]);
    expect(ledger.failures()).toEqual([]);
    expect(settled.lost).toEqual([]);
    expect(settled.wrongCounters).toEqual([]);
  });
});

describe("each service killed mid-load and restarted", () => {
  it.each(kills)(
    "$name: only its own writes fail, nothing acknowledged is lost",
    async ({ name, instances }) => {
      const ledger = new Ledger();
      for (const write of setUp.writes) ledger.record(write);
      const load = runLoad(faults.stack.gatewayUrl, population, ledger, { writes: 200, perSecond: 40 });
      await sleep(1_500);
      for (const instance of instances) await faults.stack.kill(instance);
      await sleep(2_000);
      await Promise.all(instances.map((instance) => faults.stack.restart(instance)));
      await load;
      const outcome = await settle(population, ledger);
      const failed = ledger.failed();
      report({
        scenario: `${name === "gateway" ? name : `${name}-service`} SIGKILLed mid-load, restarted after 2 s`,
        sent: ledger.writes.length - setUp.writes.length,
        acknowledged: ledger.acknowledged().length - setUp.writes.length,
        failed: failed.length,
        lost: outcome.lost.length,
        convergeMs: outcome.convergeMs,
        notes:
          failed.length === 0
            ? undefined
            : `${ledger.failures().join(", ")}; slowest failure ${Math.max(...failed.map((write) => write.ms))} ms`,
      });
      expect(outcome.lost).toEqual([]);
      expect(outcome.wrongCounters).toEqual([]);
      expect(failed.filter((write) => !mayFail[name]!.includes(write.kind))).toEqual([]);
      // the gateway answers for a dead service at once, as a 503 problem (a dead gateway: no answer)
      if (name !== "gateway") {
        for (const write of failed) expect([write.status, write.ms < 6_000]).toEqual([503, true]);
      }
    },
  );

  it("supervision: a service that dies on its own is started again", async () => {
    const before = faults.stack.pid("comment");
    faults.stack.signal("comment", "SIGKILL");
    const started = Date.now();
    let after: number | undefined;
    for (;;) {
      after = faults.stack.pid("comment");
      if (after !== undefined && after !== before) {
        const ready = await fetch(`${faults.stack.instanceUrls.comment}/readyz`).then(
          (response) => response.ok,
          () => false,
        );
        if (ready) break;
      }
      if (Date.now() - started > 60_000) throw new Error("comment-service did not come back");
      await sleep(100);
    }
    process.stdout.write(
      `[faults] supervision: comment-service back ${Date.now() - started} ms after SIGKILL\n`,
    );
    const comment = await population.people[0]!.client.comment(population.images[0]!, "after the restart");
    expect(comment.status, comment.text).toBe(201);
  });
});
