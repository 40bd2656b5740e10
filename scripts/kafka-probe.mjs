// Talks to the local broker as a real Kafka client (kafkajs), for scripts/infra.sh and .ci/run.
//   node scripts/kafka-probe.mjs ready    exits 0 when the broker answers metadata requests
//   node scripts/kafka-probe.mjs smoke    creates a topic, produces one message and consumes it back
//   node scripts/kafka-probe.mjs topics   prints every topic with its message count and the groups
import { randomUUID } from "node:crypto";
import { Kafka, logLevel } from "kafkajs";

// biome-ignore lint/suspicious/noUndeclaredEnvVars: a standalone script, not a turbo task
const brokers = (process.env.KAFKA_BROKERS ?? "127.0.0.1:29092").split(",");
const kafka = new Kafka({
  clientId: "infra-probe",
  brokers,
  logLevel: logLevel.NOTHING,
  connectionTimeout: 3000,
  retry: { retries: 2, initialRetryTime: 200 },
});

async function ready() {
  const admin = kafka.admin();
  await admin.connect();
  try {
    const cluster = await admin.describeCluster();
    await admin.listTopics();
    if (cluster.brokers.length === 0) throw new Error("no brokers in metadata");
  } finally {
    await admin.disconnect();
  }
}

async function smoke() {
  const topic = `infra-smoke-${randomUUID()}`;
  const value = `hello ${Date.now()}`;
  const admin = kafka.admin();
  await admin.connect();
  await admin.createTopics({
    topics: [{ topic, numPartitions: 1, replicationFactor: 1 }],
    waitForLeaders: true,
  });
  const producer = kafka.producer();
  await producer.connect();
  await producer.send({ topic, messages: [{ key: "k", value }] });
  await producer.disconnect();
  const consumer = kafka.consumer({ groupId: `${topic}-group` });
  await consumer.connect();
  await consumer.subscribe({ topic, fromBeginning: true });
  const received = await new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error("no message within 30s")), 30_000);
    consumer.run({
      eachMessage: async ({ message }) => {
        clearTimeout(timer);
        resolve(message.value?.toString());
      },
    });
  });
  await consumer.disconnect();
  await admin.deleteTopics({ topics: [topic] });
  await admin.disconnect();
  if (received !== value) throw new Error(`consumed ${received}, expected ${value}`);
  console.log(`kafka smoke ok: produced and consumed "${value}" on ${topic}`);
}

async function topics() {
  const admin = kafka.admin();
  await admin.connect();
  try {
    const names = (await admin.listTopics()).filter((name) => !name.startsWith("__")).sort();
    console.log(`topics on ${brokers.join(",")}: ${names.length}`);
    for (const name of names) {
      const offsets = await admin.fetchTopicOffsets(name);
      const messages = offsets.reduce((sum, p) => sum + (Number(p.high) - Number(p.low)), 0);
      const ends = [...offsets]
        .sort((a, b) => a.partition - b.partition)
        .map((p) => `${p.partition}:${p.high}`)
        .join(" ");
      console.log(`  ${name}  partitions=${offsets.length} messages=${messages} end-offsets=[${ends}]`);
    }
    const { groups } = await admin.listGroups();
    console.log(`consumer groups: ${groups.length}`);
    for (const group of groups.map((g) => g.groupId).sort()) console.log(`  ${group}`);
  } finally {
    await admin.disconnect();
  }
}

const commands = { ready, smoke, topics };
const command = commands[process.argv[2] ?? ""];
if (!command) {
  console.error("usage: node scripts/kafka-probe.mjs ready|smoke|topics");
  process.exit(2);
}
try {
  await command();
} catch (error) {
  console.error(`kafka ${process.argv[2]} failed: ${error instanceof Error ? error.message : error}`);
  process.exit(1);
}
