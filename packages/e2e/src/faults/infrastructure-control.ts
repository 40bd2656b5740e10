// Stops and starts the local PostgreSQL and Kafka of scripts/infra.sh (the same INFRA_* variables
// as the run that started them), for the fault scenarios.
import { execFile } from "node:child_process";
import { readFile } from "node:fs/promises";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";

const run = promisify(execFile);
const repositoryRoot = resolve(dirname(fileURLToPath(import.meta.url)), "../../../..");
const infraScript = join(repositoryRoot, "scripts/infra.sh");
const infraDir = process.env.INFRA_DIR ?? join(repositoryRoot, ".infra");

async function infra(command: string): Promise<void> {
  await run("bash", [infraScript, command], { env: process.env, timeout: 180_000 });
}

/** PostgreSQL ends without a checkpoint (pg_ctl -m immediate): a crash as far as the data goes. */
export function stopPostgres(): Promise<void> {
  return infra("pg-stop");
}

export function startPostgres(): Promise<void> {
  return infra("pg-start");
}

/** SIGKILL to the broker: no controlled shutdown, nothing flushed beyond what it had. */
export async function killKafka(): Promise<void> {
  const pid = Number((await readFile(join(infraDir, "run/kafka.pid"), "utf8")).trim());
  if (!Number.isInteger(pid) || pid <= 0) throw new Error(`no Kafka pid in ${infraDir}/run/kafka.pid`);
  process.kill(pid, "SIGKILL");
  for (let i = 0; i < 100; i++) {
    try {
      process.kill(pid, 0);
    } catch {
      return;
    }
    await new Promise((done) => setTimeout(done, 100));
  }
  throw new Error(`Kafka (pid ${pid}) did not end after SIGKILL`);
}

/** Starts the broker on its kept data and waits until a client can list topics. */
export function startKafka(): Promise<void> {
  return infra("kafka-start");
}
