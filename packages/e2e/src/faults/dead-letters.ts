import { Kafka, logLevel } from "kafkajs";

/** Messages in the stack's dead-letter topics (`<namespace><topic>.dlq`): what nothing will retry. */
export async function deadLetterCount(kafkaBrokers: string, namespace: string): Promise<number> {
  const admin = new Kafka({ brokers: kafkaBrokers.split(","), logLevel: logLevel.NOTHING }).admin();
  await admin.connect();
  try {
    let count = 0;
    for (const topic of await admin.listTopics()) {
      if (!topic.startsWith(namespace) || !topic.endsWith(".dlq")) continue;
      for (const { low, high } of await admin.fetchTopicOffsets(topic)) count += Number(high) - Number(low);
    }
    return count;
  } finally {
    await admin.disconnect();
  }
}
