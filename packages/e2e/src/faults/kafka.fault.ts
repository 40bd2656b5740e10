// Kafka SIGKILLed in the middle of a load of writes and started again a few seconds later: no
// write fails (the outboxes hold the events), none is lost, no dead letter, counters end exact.
// Then redelivery on the same stack: every consumer group replayed from the earliest offset
// leaves every table as it was (consumers are idempotent through their inbox).
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { consumerLag, deadLetterCount, replayFromEarliest, tableDigests } from "./consumer-groups.ts";
import { type FaultStack, startFaultStack } from "./fault-stack.ts";
import { killKafka, startKafka } from "./infrastructure-control.ts";
import { Ledger, report } from "./ledger.ts";
import { settle } from "./settle.ts";
import { createPopulation, type Population, runLoad, sleep } from "./workload.ts";

let faults: FaultStack;
let population: Population;
const ledger = new Ledger();
beforeAll(async () => {
  faults = await startFaultStack();
  population = await createPopulation(faults.api, 10, ledger);
});
afterAll(async () => {
  await startKafka(); // whatever happened
  await faults?.stop();
});

describe("Kafka", () => {
  it("killed mid-load: loses nothing and ends with exact counters", async () => {
    const load = runLoad(faults.stack.gatewayUrl, population, ledger, { writes: 400, perSecond: 40 });
    await sleep(3_000);
    await killKafka();
    await sleep(3_000);
    await startKafka();
    const back = Date.now();
    await load;
    const outcome = await settle(population, ledger);
    const convergeMs = Date.now() - back;
    report({
      scenario: "Kafka SIGKILLed mid-load, started again 3 s later (converged: since it answered)",
      sent: ledger.writes.length - population.people.length,
      acknowledged: ledger.acknowledged().length - population.people.length,
      failed: ledger.failed().length,
      lost: outcome.lost.length,
      convergeMs,
      notes: ledger.failures().join(", ") || undefined,
    });
    expect(await deadLetterCount(faults)).toBe(0);
    expect(outcome.lost).toEqual([]);
    expect(outcome.wrongCounters).toEqual([]);
    expect(ledger.failures()).toEqual([]);
  });

  it("redelivery: every consumer group replayed from the earliest offset leaves every table identical", async () => {
    const settled = await settle(population, ledger);
    expect(settled.lost).toEqual([]);
    for (let quiet = 0; (await consumerLag(faults)) > 0 && quiet < 40; quiet++) await sleep(250);
    await sleep(1_000); // the last relays go quiet
    const before = await tableDigests(faults);

    const replayed = await replayFromEarliest(faults);
    const restarted = Date.now();
    let after: Record<string, string> = {};
    for (;;) {
      const lag = await consumerLag(faults);
      after = await tableDigests(faults);
      if (lag === 0 && JSON.stringify(after) === JSON.stringify(before)) break;
      if (Date.now() - restarted > 120_000) break;
      await sleep(500);
    }
    report({
      scenario: "redelivery: every consumer group replayed from the earliest offset",
      sent: ledger.writes.length,
      acknowledged: ledger.acknowledged().length,
      failed: ledger.failed().length,
      lost: settled.lost.length,
      convergeMs: Date.now() - restarted,
      notes: `${replayed} messages replayed, ${Object.keys(before).length} tables compared`,
    });
    expect(after).toEqual(before);
    expect(replayed).toBeGreaterThan(ledger.acknowledged().length);
  });
});
