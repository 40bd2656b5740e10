import { eventCatalog } from "@instagram/contracts/events";
import { Kafka, logLevel } from "kafkajs";

/**
 * Deletes the services' event topics (the services' Kafka bus creates them again at start), and
 * with them the consumer groups' offsets in them. For a reset: the inbox rows that made replays
 * harmless are truncated with the rest, so events of the previous dataset still in the topics
 * would be applied to the new one (a FOLLOWED of a user that no longer exists, say).
 */
export async function deleteEventTopics(brokers: string): Promise<string[]> {
  const kafka = new Kafka({
    clientId: "bench-dataset",
    brokers: brokers.split(","),
    logLevel: logLevel.NOTHING,
  });
  const admin = kafka.admin();
  await admin.connect();
  try {
    const existing = new Set(await admin.listTopics());
    const topics = Object.keys(eventCatalog).filter((topic) => existing.has(topic));
    if (topics.length > 0) await admin.deleteTopics({ topics, timeout: 30_000 });
    return topics;
  } finally {
    await admin.disconnect();
  }
}
