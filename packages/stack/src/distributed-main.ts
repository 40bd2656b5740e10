// `npm run start:distributed`: every service as its own process against the local PostgreSQL and
// Kafka of `npm run infra:up`.
import { resolve } from "node:path";
import { ConfigError, createLogger } from "@instagram/kit";
import { runMain } from "@instagram/kit/node";
import { startDistributedStack } from "./distributed.ts";
import { loadStackEnv, portsOf, stackLogLevel } from "./env.ts";

const env = loadStackEnv(process.env);
const logger = createLogger({ service: "stack", level: stackLogLevel(env.LOG_LEVEL) });
const { DATABASE_URL: databaseUrl, KAFKA_BROKERS: kafkaBrokers } = env;
if (!databaseUrl || !kafkaBrokers) {
  throw new ConfigError([
    "DATABASE_URL and KAFKA_BROKERS are required: start them with `npm run infra:up`, then " +
      '`eval "$(bash scripts/infra.sh env)"`',
  ]);
}

runMain(async () => {
  const stack = await startDistributedStack({
    databaseUrl,
    kafkaBrokers,
    ports: portsOf(env),
    host: env.HOST,
    dataDir: resolve(env.DATA_DIR),
    logLevel: env.LOG_LEVEL,
    echo: true,
    // A service that dies is started again, with backoff; production leaves this to systemd or Kubernetes.
    supervise: true,
    logger,
  });
  // performance.now() counts from the start of the process, module loading included.
  logger.info(
    { gatewayUrl: stack.gatewayUrl, services: stack.urls },
    `ready in ${Math.round(performance.now())} ms: ${stack.gatewayUrl}`,
  );
  return stack;
}, logger);
