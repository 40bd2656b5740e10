// npm run dead-letters -- list|replay [--topic <topic>]... [--json]
// Reads the dead-letter topics ("<topic>.dlq") of the stack at KAFKA_BROKERS (and KAFKA_NAMESPACE).
// list: every dead letter, with its error and whether it was replayed. replay: re-publishes the
// ones not replayed yet to their topic (same key, value and headers); the consumers' inbox makes
// that idempotent.
import { parseArgs } from "node:util";
import pino from "pino";
import { type DeadLetter, listDeadLetters, replayDeadLetters } from "../src/events/kafka-dead-letters.ts";

const USAGE = "usage: npm run dead-letters -- list|replay [--topic <topic>]... [--json]";

function line(letter: DeadLetter): string {
  return [
    `${letter.topic}[${letter.partition}]@${letter.offset}`,
    letter.type ?? "?",
    `id=${letter.id ?? "?"}`,
    `key=${letter.key ?? ""}`,
    `consumer=${letter.failedConsumer ?? "?"}`,
    letter.replayed ? "replayed" : "pending",
    `error=${JSON.stringify(letter.error ?? "")}`,
  ].join("  ");
}

async function main(): Promise<number> {
  const { positionals, values } = parseArgs({
    allowPositionals: true,
    options: { topic: { type: "string", multiple: true }, json: { type: "boolean", default: false } },
  });
  const [command] = positionals;
  const brokers = process.env.KAFKA_BROKERS?.split(",").filter((broker) => broker !== "");
  if ((command !== "list" && command !== "replay") || positionals.length !== 1) {
    process.stderr.write(`${USAGE}\n`);
    return 2;
  }
  if (brokers === undefined || brokers.length === 0) {
    process.stderr.write("KAFKA_BROKERS is not set (dead letters exist in the distributed mode only)\n");
    return 2;
  }
  const options = {
    brokers,
    namespace: process.env.KAFKA_NAMESPACE,
    topics: values.topic,
    logger: pino({ level: process.env.LOG_LEVEL ?? "warn" }, pino.destination(2)),
  };
  const letters = command === "list" ? await listDeadLetters(options) : await replayDeadLetters(options);
  if (values.json) {
    for (const letter of letters) process.stdout.write(`${JSON.stringify(letter)}\n`);
    return 0;
  }
  for (const letter of letters) process.stdout.write(`${line(letter)}\n`);
  const pending = letters.filter((letter) => !letter.replayed).length;
  process.stdout.write(
    command === "list"
      ? `${letters.length} dead letter(s), ${pending} not replayed\n`
      : `${letters.length} dead letter(s) replayed\n`,
  );
  return 0;
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    process.stderr.write(`dead-letters failed: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(1);
  },
);
