// Kafka SIGKILLed in the middle of a load of writes, started again a few seconds later: no write
// fails (the outboxes hold the events), none is lost, every counter ends exact.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { deadLetterCount } from "./dead-letters.ts";
import { type FaultStack, startFaultStack } from "./fault-stack.ts";
import { killKafka, startKafka } from "./infrastructure-control.ts";
import { Ledger, report } from "./ledger.ts";
import { settle } from "./settle.ts";
import { createPopulation, runLoad, sleep } from "./workload.ts";

let faults: FaultStack;
beforeAll(async () => {
  faults = await startFaultStack();
});
afterAll(async () => {
  await startKafka(); // whatever happened
  await faults?.stop();
});

describe("Kafka killed mid-load", () => {
  it("loses nothing and ends with exact counters", async () => {
    const ledger = new Ledger();
    const population = await createPopulation(faults.api, 10, ledger);
    const load = runLoad(faults.stack.gatewayUrl, population, ledger, { writes: 400, perSecond: 40 });
    await sleep(3_000);
    await killKafka();
    await sleep(3_000);
    await startKafka();
    await load;
    const outcome = await settle(population, ledger);
    report({
      scenario: "Kafka SIGKILLed mid-load, back after ~3 s",
      sent: ledger.writes.length,
      acknowledged: ledger.acknowledged().length,
      failed: ledger.failed().length,
      lost: outcome.lost.length,
      convergeMs: outcome.convergeMs,
      notes: ledger.failures().join(", "),
    });
    expect(await deadLetterCount(faults.kafkaBrokers, faults.namespace)).toBe(0);
    expect(outcome.lost).toEqual([]);
    expect(outcome.wrongCounters).toEqual([]);
    expect(ledger.failures()).toEqual([]);
  });
});
