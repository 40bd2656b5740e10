// One distributed stack per fault scenario file: every service as its own process (user-service
// twice), supervised, in a scratch database and a Kafka namespace of its own.
import { basename } from "node:path";
import { type DistributedStack, freePorts, services, startDistributedStack } from "@instagram/stack";
import postgres from "postgres";
import { Client } from "../client.ts";
import { createScratchDatabase, requireInfrastructure } from "../setup/infrastructure.ts";
import { suiteEnvironment, warmUp } from "../setup/stack-env.ts";

export interface FaultStack {
  stack: DistributedStack;
  api: Client;
  databaseUrl: string;
  kafkaBrokers: string;
  /** Put before the stack's topic and consumer-group names. */
  namespace: string;
  /** One statement against the stack's database, for checks (counts, table digests). */
  query<T extends Record<string, unknown>>(text: string): Promise<T[]>;
  stop(): Promise<void>;
}

export async function startFaultStack(): Promise<FaultStack> {
  const infrastructure = await requireInfrastructure(process.env);
  const database = await createScratchDatabase(infrastructure.databaseUrl, "faults");
  const sql = postgres(database.url, { max: 2, onnotice: () => {}, connect_timeout: 5 });
  const [settings] = await sql<{ fsync: string; synchronous: string }[]>`
    select current_setting('fsync') as fsync, current_setting('synchronous_commit') as synchronous`;
  const durable = settings?.fsync === "on" && settings.synchronous === "on";
  if (!durable) {
    await sql.end({ timeout: 1 });
    await database.drop();
    throw new Error(
      "the fault suite needs a durable PostgreSQL (fsync and synchronous_commit on): start it with INFRA_DURABLE=1 bash scripts/infra.sh up",
    );
  }
  const suite = await suiteEnvironment();
  const ports = await freePorts([...services.map((service) => service.name), "user2"]);
  const namespace = `${basename(database.url)}.`;
  let stack: DistributedStack;
  try {
    stack = await startDistributedStack({
      databaseUrl: database.url,
      kafkaBrokers: infrastructure.kafkaBrokers,
      ports,
      replicas: { user: [ports.user2] },
      logLevel: "warn",
      supervise: true,
      env: { ...suite.env, KAFKA_NAMESPACE: namespace },
      echo: process.env.FAULTS_ECHO === "1",
    });
  } catch (error) {
    await sql.end({ timeout: 1 });
    await database.drop();
    throw error;
  }
  const stop = async (): Promise<void> => {
    await stack.stop();
    await sql.end({ timeout: 1 });
    await database.drop();
  };
  try {
    await warmUp(stack.gatewayUrl, 90_000);
  } catch (error) {
    await stop();
    throw error;
  }
  return {
    stack,
    api: new Client(stack.gatewayUrl),
    databaseUrl: database.url,
    kafkaBrokers: infrastructure.kafkaBrokers,
    namespace,
    query: async <T extends Record<string, unknown>>(text: string) =>
      (await sql.unsafe(text)) as unknown as T[],
    stop,
  };
}
