// Generates the benchmark dataset into PostgreSQL and a blob directory.
//   npx tsx packages/bench/src/dataset/cli.ts --database-url postgres://… --blob-dir <dir> \
//     --users 10000 --images 200000 [--average-follows 180] [--likes N] [--comments N] [--seed 1] [--reset [--kafka-brokers host:port]]
import { parseArgs } from "node:util";
import { generateDataset } from "./index.ts";

const { values } = parseArgs({
  options: {
    "database-url": { type: "string" },
    "blob-dir": { type: "string" },
    users: { type: "string", default: "10000" },
    images: { type: "string", default: "200000" },
    "average-follows": { type: "string" },
    likes: { type: "string" },
    comments: { type: "string" },
    seed: { type: "string" },
    "kafka-brokers": { type: "string" },
    reset: { type: "boolean", default: false },
  },
});

const number = (name: string, text: string | undefined): number | undefined => {
  if (text === undefined) return undefined;
  const value = Number(text);
  if (!Number.isInteger(value) || value < 0) throw new Error(`--${name} must be a whole number, got ${text}`);
  return value;
};

const databaseUrl = values["database-url"] ?? process.env.DATABASE_URL;
const blobDir = values["blob-dir"] ?? process.env.BLOB_DIR;
if (databaseUrl === undefined || blobDir === undefined) {
  process.stderr.write("--database-url (or DATABASE_URL) and --blob-dir (or BLOB_DIR) are required\n");
  process.exit(2);
}

const started = performance.now();
const dataset = await generateDataset({
  databaseUrl,
  blobDir,
  users: number("users", values.users) ?? 10_000,
  images: number("images", values.images) ?? 200_000,
  averageFollows: number("average-follows", values["average-follows"]),
  likes: number("likes", values.likes),
  comments: number("comments", values.comments),
  seed: number("seed", values.seed),
  reset: values.reset,
  kafkaBrokers: values["kafka-brokers"] ?? process.env.KAFKA_BROKERS,
  onProgress: (phase, ms) =>
    process.stdout.write(`${phase.padEnd(44)} ${(ms / 1000).toFixed(1).padStart(7)} s\n`),
});
process.stdout.write(
  `${"total".padEnd(44)} ${((performance.now() - started) / 1000).toFixed(1).padStart(7)} s\n`,
);
for (const [table, count] of Object.entries(dataset.counts)) {
  process.stdout.write(`${table.padEnd(20)} ${String(count).padStart(10)}\n`);
}
process.stdout.write(
  `password ${JSON.stringify(dataset.password)}; settle actors ${dataset.settle.actors.length}; ` +
    `most followed ${dataset.celebrities.slice(0, 3).join(", ")}\n`,
);
