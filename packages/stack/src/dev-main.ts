// `npm run dev` / `turbo dev`: every service in its own process under `node --watch` (saving a file
// restarts the services that import it, a workspace package's sources included), on the local
// PostgreSQL + Kafka of scripts/infra.sh — started here when DATABASE_URL and KAFKA_BROKERS are not
// given, and stopped again on exit. Each service's lines come prefixed with its name, pretty.
import { dirname, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { createLogger, logFormatOf } from "@instagram/kit";
import { runMain } from "@instagram/kit/node";
import { requireCommand, requireFreePorts } from "./dev-checks.ts";
import { type DevInfra, startDevInfra } from "./dev-infra.ts";
import { startDistributedStack } from "./distributed.ts";
import { loadStackEnv, portsOf, stackLogLevel } from "./env.ts";

const env = loadStackEnv(process.env);
// Pretty unless LOG_FORMAT says otherwise, also through `turbo dev`'s pipe.
const logFormat = logFormatOf({ LOG_FORMAT: process.env.LOG_FORMAT || "pretty" }, true);
const logger = createLogger({ service: "dev", level: stackLogLevel(env.LOG_LEVEL), format: logFormat });
const repositoryRoot = resolve(dirname(fileURLToPath(import.meta.url)), "../../..");

runMain(async () => {
  await requireFreePorts(env.HOST, portsOf(env));
  let infra: DevInfra;
  if (env.DATABASE_URL && env.KAFKA_BROKERS) {
    infra = { databaseUrl: env.DATABASE_URL, kafkaBrokers: env.KAFKA_BROKERS, env: {}, stop: async () => {} };
  } else {
    await requireCommand("bash", "scripts/infra.sh starts PostgreSQL and Kafka with it");
    infra = await startDevInfra(logger);
  }
  try {
    const stack = await startDistributedStack({
      databaseUrl: infra.databaseUrl,
      kafkaBrokers: infra.kafkaBrokers,
      ports: portsOf(env),
      host: env.HOST,
      // Kept across runs (auth's signing key, so tokens outlive a restart; local image files).
      dataDir: resolve(repositoryRoot, env.DATA_DIR, "dev"),
      logLevel: env.LOG_LEVEL,
      // Services write to a pipe: ask for the terminal's format, and its colours.
      env: {
        ...infra.env,
        LOG_FORMAT: logFormat,
        ...(process.stderr.isTTY && process.env.NO_COLOR === undefined ? { FORCE_COLOR: "1" } : {}),
      },
      echo: true,
      supervise: true,
      watch: true,
      logger,
    });
    logger.info(
      { gatewayUrl: stack.gatewayUrl, services: stack.urls },
      `ready in ${Math.round(performance.now())} ms: ${stack.gatewayUrl} (watching the sources; Ctrl-C stops)`,
    );
    return {
      stop: async () => {
        await stack.stop();
        await infra.stop();
      },
    };
  } catch (error) {
    await infra.stop();
    throw error;
  }
}, logger);
