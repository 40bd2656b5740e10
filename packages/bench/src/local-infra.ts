import { execFile } from "node:child_process";
import { join } from "node:path";
import { promisify } from "node:util";
import { freePorts } from "@instagram/stack";
import { repositoryRoot } from "./repository.ts";

const run = promisify(execFile);

export interface LocalInfra {
  databaseUrl: string;
  kafkaBrokers: string;
  stop(): Promise<void>;
}

/**
 * A private PostgreSQL + Kafka for this run (scripts/infra.sh with its own directory and free
 * ports, so an infra someone else started is left alone); stop() tears it down.
 */
export async function startLocalInfra(workDir: string): Promise<LocalInfra> {
  const ports = await freePorts(["pg", "kafka", "controller"]);
  const env = {
    ...process.env,
    INFRA_DIR: join(workDir, "infra"),
    INFRA_PG_PORT: String(ports.pg),
    INFRA_KAFKA_PORT: String(ports.kafka),
    INFRA_KAFKA_CONTROLLER_PORT: String(ports.controller),
  };
  const script = join(repositoryRoot, "scripts/infra.sh");
  const infra = (command: string, timeoutMs: number) =>
    run("bash", [script, command], {
      env,
      cwd: repositoryRoot,
      timeout: timeoutMs,
      maxBuffer: 8 * 1024 * 1024,
    });
  const stop = async (): Promise<void> => {
    await infra("down", 120_000).catch((error: unknown) => {
      process.stderr.write(
        `[bench] infra down failed: ${error instanceof Error ? error.message : String(error)}\n`,
      );
    });
  };
  try {
    await infra("up", 300_000);
    const { stdout } = await infra("env", 10_000);
    const value = (name: string): string => {
      const match = new RegExp(`^export ${name}=(.+)$`, "m").exec(stdout);
      if (!match?.[1]) throw new Error(`scripts/infra.sh env printed no ${name}`);
      return match[1].trim();
    };
    return { databaseUrl: value("DATABASE_URL"), kafkaBrokers: value("KAFKA_BROKERS"), stop };
  } catch (error) {
    await stop();
    throw error;
  }
}
