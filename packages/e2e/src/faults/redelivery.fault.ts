// Redelivery: every consumer group of the stack replayed from the earliest offset. Consumers are
// idempotent (inbox), so every table ends as it was.
import type { InstanceName } from "@instagram/stack";
import { Kafka, logLevel } from "kafkajs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type FaultStack, startFaultStack } from "./fault-stack.ts";
import { Ledger, report } from "./ledger.ts";
import { settle } from "./settle.ts";
import { createPopulation, runLoad, sleep } from "./workload.ts";

let faults: FaultStack;
beforeAll(async () => {
  faults = await startFaultStack();
});
afterAll(async () => {
  await faults?.stop();
});

const consumers: { group: string; instances: InstanceName[] }[] = [
  { group: "user-service", instances: ["user", "user.2"] },
  { group: "image-service", instances: ["image"] },
  { group: "comment-service", instances: ["comment"] },
];
const consumerInstances = consumers.flatMap((consumer) => consumer.instances);

/** Row count and digest of every table of the services' schemas. */
async function tables(): Promise<Record<string, string>> {
  const list = await faults.query<{ name: string }>(
    `select format('%I.%I', table_schema, table_name) as name from information_schema.tables
     where table_schema in ('auth', 'users', 'images', 'comments') and table_type = 'BASE TABLE'
     order by 1`,
  );
  const digests: Record<string, string> = {};
  for (const { name } of list) {
    const [row] = await faults.query<{ rows: string; digest: string }>(
      `select count(*)::text as rows, md5(coalesce(string_agg(t::text, '|' order by t::text), '')) as digest from ${name} t`,
    );
    digests[name] = `${row?.rows} rows ${row?.digest}`;
  }
  return digests;
}

describe("redelivery", () => {
  it("every consumer group replayed from the earliest offset leaves every table identical", async () => {
    const ledger = new Ledger();
    const population = await createPopulation(faults.api, 8, ledger);
    await runLoad(faults.stack.gatewayUrl, population, ledger, { writes: 200, perSecond: 50 });
    const settled = await settle(population, ledger);
    expect(settled.lost).toEqual([]);
    await sleep(2_000); // the last relays and consumers go quiet
    const before = await tables();

    const kafka = new Kafka({ brokers: faults.kafkaBrokers.split(","), logLevel: logLevel.NOTHING });
    const admin = kafka.admin();
    await admin.connect();
    let replayed = 0;
    try {
      await Promise.all(consumerInstances.map((instance) => faults.stack.kill(instance, "SIGTERM")));
      for (const consumer of consumers) {
        const groupId = `${faults.namespace}${consumer.group}`;
        const committed = await admin.fetchOffsets({ groupId });
        for (const { topic } of committed) {
          for (const { low, high } of await admin.fetchTopicOffsets(topic))
            replayed += Number(high) - Number(low);
          for (let attempt = 0; ; attempt++) {
            try {
              await admin.resetOffsets({ groupId, topic, earliest: true });
              break;
            } catch (error) {
              if (attempt > 20) throw error;
              await sleep(500); // the group may still list its leaving members
            }
          }
        }
      }
    } finally {
      await Promise.all(consumerInstances.map((instance) => faults.stack.restart(instance)));
    }
    const restarted = Date.now();

    // converged: no lag left in any group, and every table as before
    let after: Record<string, string> = {};
    for (;;) {
      let lag = 0;
      for (const consumer of consumers) {
        const groupId = `${faults.namespace}${consumer.group}`;
        for (const { topic, partitions } of await admin.fetchOffsets({ groupId })) {
          const ends = new Map(
            (await admin.fetchTopicOffsets(topic)).map((p) => [p.partition, Number(p.high)]),
          );
          for (const { partition, offset } of partitions)
            lag += (ends.get(partition) ?? 0) - Math.max(0, Number(offset));
        }
      }
      after = await tables();
      if (lag === 0 && JSON.stringify(after) === JSON.stringify(before)) break;
      if (Date.now() - restarted > 120_000) break;
      await sleep(500);
    }
    await admin.disconnect();
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
    expect(replayed).toBeGreaterThan(ledger.writes.length);
  });
});
