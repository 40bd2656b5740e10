import { spawn } from "node:child_process";
import { dirname, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { ConfigError, type Logger } from "@instagram/kit";

const infraScript = resolve(dirname(fileURLToPath(import.meta.url)), "../../../scripts/infra.sh");

export interface DevInfra {
  databaseUrl: string;
  kafkaBrokers: string;
  /** The rest of `scripts/infra.sh env` (BLOB_STORE and S3_* with INFRA_S3=1), for every service. */
  env: Record<string, string>;
  /** Stops what this process started (nothing when the infrastructure was already up). */
  stop(): Promise<void>;
}

/**
 * The local PostgreSQL + Kafka of scripts/infra.sh (its INFRA_* variables apply): used as they are
 * when already up, else started here and stopped again by stop(). A failed start is a ConfigError
 * that says what is missing (scripts/infra.sh prints why above it).
 */
export async function startDevInfra(logger: Pick<Logger, "info">): Promise<DevInfra> {
  const wasUp = (await infra(["status"], "quiet")).code === 0;
  if (!wasUp) {
    logger.info("starting the local PostgreSQL + Kafka (scripts/infra.sh up)");
    const up = await infra(["up"], "show");
    if (up.code !== 0) {
      throw new ConfigError([
        `scripts/infra.sh up failed (exit ${up.code}; its reason is printed above): the development ` +
          "stack needs PostgreSQL's server binaries (apt-get install postgresql) and Java 17+ for Kafka " +
          "(apt-get install openjdk-17-jre-headless), or DATABASE_URL and KAFKA_BROKERS of running ones. " +
          "`npm run dev:embedded` needs neither (one process, PGlite, in-process bus).",
      ]);
    }
  }
  const {
    DATABASE_URL: databaseUrl,
    KAFKA_BROKERS: kafkaBrokers,
    ...env
  } = parseExports((await infra(["env"], "quiet")).stdout);
  if (!databaseUrl || !kafkaBrokers)
    throw new Error("scripts/infra.sh env printed no DATABASE_URL or KAFKA_BROKERS");
  return {
    databaseUrl,
    kafkaBrokers,
    env,
    stop: async () => {
      if (wasUp) return;
      logger.info("stopping the PostgreSQL + Kafka started for development (scripts/infra.sh down)");
      await infra(["down"], "show");
    },
  };
}

/** `export NAME=value` lines, as `scripts/infra.sh env` prints them. */
export function parseExports(text: string): Record<string, string> {
  const variables: Record<string, string> = {};
  for (const line of text.split("\n")) {
    const match = /^export ([A-Z_][A-Z0-9_]*)=(.*)$/.exec(line.trim());
    if (match?.[1] && match[2] !== undefined) variables[match[1]] = match[2].replace(/^'(.*)'$/, "$1");
  }
  return variables;
}

function infra(args: string[], output: "show" | "quiet"): Promise<{ code: number; stdout: string }> {
  return new Promise((done, fail) => {
    // stdin ignored; "show" passes the script's progress lines ([infra] …) to our stderr.
    const child = spawn("bash", [infraScript, ...args], {
      stdio: ["ignore", "pipe", output === "show" ? "inherit" : "ignore"],
    });
    let stdout = "";
    child.stdout.on("data", (chunk: Buffer) => {
      stdout += chunk.toString("utf8");
    });
    child.once("error", fail);
    child.once("exit", (code) => done({ code: code ?? 1, stdout }));
  });
}
