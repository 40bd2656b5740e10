import { connect } from "node:net";
import postgres from "postgres";

const hint =
  "The distributed e2e suite needs PostgreSQL and Kafka: run `npm run infra:up`, then " +
  '`eval "$(bash scripts/infra.sh env)"` (or set DATABASE_URL and KAFKA_BROKERS yourself).';

export interface Infrastructure {
  databaseUrl: string;
  kafkaBrokers: string;
}

/** DATABASE_URL and KAFKA_BROKERS from the environment, both answering; otherwise a clear failure. */
export async function requireInfrastructure(env: NodeJS.ProcessEnv): Promise<Infrastructure> {
  const databaseUrl = env.DATABASE_URL;
  const kafkaBrokers = env.KAFKA_BROKERS;
  const missing = [databaseUrl ? undefined : "DATABASE_URL", kafkaBrokers ? undefined : "KAFKA_BROKERS"];
  if (!databaseUrl || !kafkaBrokers) {
    throw new Error(`${missing.filter(Boolean).join(" and ")} not set. ${hint}`);
  }
  const sql = postgres(databaseUrl, { max: 1, connect_timeout: 5, onnotice: () => {} });
  try {
    await sql`select 1`;
  } catch (error) {
    throw new Error(`PostgreSQL at DATABASE_URL does not answer (${describe(error)}). ${hint}`);
  } finally {
    await sql.end({ timeout: 1 });
  }
  for (const broker of kafkaBrokers.split(",")) {
    try {
      await reach(broker.trim(), 5_000);
    } catch (error) {
      throw new Error(`Kafka broker ${broker} does not answer (${describe(error)}). ${hint}`);
    }
  }
  return { databaseUrl, kafkaBrokers };
}

/** A new, empty database on the server of `serverUrl`; dropped by the returned function. */
export async function createScratchDatabase(
  serverUrl: string,
  prefix: string,
): Promise<{ url: string; drop(): Promise<void> }> {
  const name = `${prefix}_${Date.now()}_${Math.random().toString(36).slice(2, 8)}`;
  const admin = postgres(serverUrl, { max: 1, connect_timeout: 5, onnotice: () => {} });
  await admin.unsafe(`create database "${name}"`);
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    drop: async () => {
      try {
        await admin.unsafe(`drop database if exists "${name}" with (force)`);
      } finally {
        await admin.end({ timeout: 1 });
      }
    },
  };
}

function reach(broker: string, timeoutMs: number): Promise<void> {
  const separator = broker.lastIndexOf(":");
  const host = broker.slice(0, separator);
  const port = Number(broker.slice(separator + 1));
  return new Promise((resolve, reject) => {
    const socket = connect({ host, port, timeout: timeoutMs });
    socket.once("connect", () => {
      socket.end();
      resolve();
    });
    socket.once("timeout", () => {
      socket.destroy();
      reject(new Error("timed out"));
    });
    socket.once("error", reject);
  });
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
