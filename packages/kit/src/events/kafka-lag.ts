import type { Admin } from "kafkajs";
import type { PartitionLag } from "./envelope.ts";

/**
 * What `groupId` has not consumed of `topics` (broker names), per partition: the end of each
 * partition minus the group's committed offset (its start, when nothing is committed yet).
 */
export async function groupLag(
  admin: Admin,
  groupId: string,
  topics: string[],
  topicName: (onBroker: string) => string,
): Promise<PartitionLag[]> {
  const committed = await admin.fetchOffsets({ groupId, topics });
  const lags = await Promise.all(
    committed.map(async ({ topic, partitions: offsets }) => {
      const ends = await admin.fetchTopicOffsets(topic);
      return ends.map(({ partition, high, low }) => {
        const at = offsets.find((p) => p.partition === partition)?.offset ?? "-1";
        const from = Number(at) < 0 ? Number(low) : Number(at);
        return { topic: topicName(topic), partition, lag: Math.max(0, Number(high) - from) };
      });
    }),
  );
  return lags.flat().sort((a, b) => a.topic.localeCompare(b.topic) || a.partition - b.partition);
}
