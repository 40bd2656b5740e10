// Two user-service instances; the one the gateway is calling is SIGKILLed under a read load:
// not one idempotent request fails (the gateway moves to the other instance and skips the dead
// one). The same with writes that are idempotent (follow).
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type FaultStack, startFaultStack } from "./fault-stack.ts";
import { Ledger, report } from "./ledger.ts";
import { settle } from "./settle.ts";
import { createPopulation, type Population, runLoad, sleep } from "./workload.ts";

let faults: FaultStack;
let population: Population;
const ledger = new Ledger();
beforeAll(async () => {
  faults = await startFaultStack();
  population = await createPopulation(faults.api, 8, ledger);
});
afterAll(async () => {
  await faults?.stop();
});

/** Reads through the gateway to user-service until `until` resolves; counts the answers. */
async function readLoad(until: Promise<void>): Promise<{ sent: number; failed: string[] }> {
  let done = false;
  void until.finally(() => {
    done = true;
  });
  const failed: string[] = [];
  let sent = 0;
  const reader = async (i: number): Promise<void> => {
    while (!done) {
      const person = population.people[(sent + i) % population.people.length]!;
      const path = sent % 2 === 0 ? `/v1/users/${person.username}` : `/v1/users/${person.username}/followers`;
      sent++;
      try {
        const response = await fetch(new URL(path, faults.stack.gatewayUrl), {
          headers: { authorization: `Bearer ${population.people[0]!.tokens.accessToken}` },
          signal: AbortSignal.timeout(10_000),
        });
        if (response.status !== 200) failed.push(`${path}: ${response.status} ${await response.text()}`);
        else await response.arrayBuffer();
      } catch (error) {
        failed.push(`${path}: ${String(error)}`);
      }
    }
  };
  await Promise.all([0, 1, 2, 3, 4, 5, 6, 7].map(reader));
  return { sent, failed };
}

describe("a user-service replica killed under load", () => {
  it("fails no idempotent request", async () => {
    const window = sleep(8_000);
    const reads = readLoad(window);
    const writes = runLoad(faults.stack.gatewayUrl, population, ledger, {
      writes: 200,
      perSecond: 25,
      kinds: ["follow"],
    });
    await sleep(2_500);
    await faults.stack.kill("user");
    const killedAt = Date.now();
    const outcome = await reads;
    await writes;
    await faults.stack.restart("user");
    const settled = await settle(population, ledger);
    report({
      scenario: "user-service replica SIGKILLed under read load (two replicas)",
      sent: ledger.writes.length - population.people.length,
      acknowledged: ledger.acknowledged().length - population.people.length,
      failed: ledger.failed().length,
      lost: settled.lost.length,
      convergeMs: settled.convergeMs,
      notes: `reads ${outcome.sent}, failed reads ${outcome.failed.length}, ${Math.round((Date.now() - killedAt) / 1000)} s with one replica`,
    });
    expect(outcome.failed).toEqual([]);
    expect(ledger.failures()).toEqual([]);
    expect(settled.lost).toEqual([]);
    expect(settled.wrongCounters).toEqual([]);
  });
});
