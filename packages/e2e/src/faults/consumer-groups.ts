// Redelivery: the stack's consumer groups set back to the earliest offset, and how far behind they are.

import { fixKafkaNegativeTimer } from "@instagram/kit/node";
import type { InstanceName } from "@instagram/stack";
import { type Admin, Kafka, logLevel } from "kafkajs";
import type { FaultStack } from "./fault-stack.ts";
import { sleep } from "./workload.ts";

const consumers: { group: string; instances: InstanceName[] }[] = [
  { group: "user-service", instances: ["user", "user.2"] },
  { group: "image-service", instances: ["image"] },
  { group: "comment-service", instances: ["comment"] },
];
const consumerInstances = consumers.flatMap((consumer) => consumer.instances);

export async function withAdmin<T>(faults: FaultStack, work: (admin: Admin) => Promise<T>): Promise<T> {
  fixKafkaNegativeTimer();
  const admin = new Kafka({ brokers: faults.kafkaBrokers.split(","), logLevel: logLevel.NOTHING }).admin();
  await admin.connect();
  try {
    return await work(admin);
  } finally {
    await admin.disconnect();
  }
}

/**
 * Stops every consuming service, sets each consumer group back to the earliest offset of every
 * topic it has read, starts the services again; returns how many messages the topics hold.
 */
export async function replayFromEarliest(faults: FaultStack): Promise<number> {
  let replayed = 0;
  await Promise.all(consumerInstances.map((instance) => faults.stack.kill(instance, "SIGTERM")));
  try {
    await withAdmin(faults, async (admin) => {
      for (const consumer of consumers) {
        const groupId = `${faults.namespace}${consumer.group}`;
        for (const { topic } of await admin.fetchOffsets({ groupId })) {
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
    });
  } finally {
    await Promise.all(consumerInstances.map((instance) => faults.stack.restart(instance)));
  }
  return replayed;
}

/** Messages not yet consumed, summed over the stack's consumer groups. */
export function consumerLag(faults: FaultStack): Promise<number> {
  return withAdmin(faults, async (admin) => {
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
    return lag;
  });
}

/** Messages in the stack's dead-letter topics (`<namespace><topic>.dlq`): what nothing will retry. */
export function deadLetterCount(faults: FaultStack): Promise<number> {
  return withAdmin(faults, async (admin) => {
    let count = 0;
    for (const topic of await admin.listTopics()) {
      if (!topic.startsWith(faults.namespace) || !topic.endsWith(".dlq")) continue;
      for (const { low, high } of await admin.fetchTopicOffsets(topic)) count += Number(high) - Number(low);
    }
    return count;
  });
}

/** Row count and digest of every table of the services' schemas. */
export async function tableDigests(faults: FaultStack): Promise<Record<string, string>> {
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
