import { join } from "node:path";
import type { CommonEnv } from "../config/common-env.ts";
import { ConfigError } from "../config/parse-env.ts";
import { createPgliteConnector, createPostgresConnector } from "../db/node.ts";
import { createConsulDiscovery } from "../discovery/consul.ts";
import { dnsAddresses } from "../discovery/dns.ts";
import { http2Instances } from "../discovery/http2.ts";
import { createStaticDiscovery, urlList } from "../discovery/static.ts";
import type { Discovery } from "../discovery/types.ts";
import type { EventBus } from "../events/index.ts";
import { createKafkaBus } from "../events/kafka-bus.ts";
import { createLogger } from "../log/logger.ts";
import { createServiceIdentity } from "../service-identity/identity.ts";
import { acceptedServiceKeysOf, serviceKeyOf } from "../service-identity/key-source.ts";
import { startTracing } from "../telemetry/node.ts";
import type { ServiceRuntime } from "./types.ts";

export interface RuntimeFromEnvOptions {
  /**
   * Whether the service publishes or consumes events (default true): then KAFKA_BROKERS is
   * required. Only the embedded stack, which builds its runtime itself, uses the in-process bus: a
   * lone process on it would never hear the others' events nor be heard.
   */
  events?: boolean;
}

/**
 * The runtime of a one-service process, chosen by configuration: DATABASE_URL → PostgreSQL, else
 * PGlite under DATA_DIR/pglite/<service> (one directory per process: PGlite cannot be shared between
 * processes); KAFKA_BROKERS → Kafka (required: a ConfigError without it, unless `events: false`);
 * CONSUL_HTTP_ADDR → Consul, else the static *_SERVICE_URL addresses (each a comma-separated list;
 * a host name stands for all its addresses, looked up again every 10 s); calls go over HTTP/2
 * (http2Instances). The service-token key comes from serviceKeyOf. Tracing is started for the process (OTLP export when
 * OTEL_EXPORTER_OTLP_ENDPOINT is set). close() closes discovery, bus, database and tracing, each
 * even when an earlier one fails.
 */
export async function createRuntimeFromEnv(
  env: CommonEnv,
  service: string,
  options: RuntimeFromEnvOptions = {},
): Promise<ServiceRuntime> {
  if (!env.KAFKA_BROKERS && options.events !== false) {
    throw new ConfigError([
      `KAFKA_BROKERS: required by ${service}-service, which exchanges events with the other ` +
        "services (unset). Start a broker (`npm run infra:up`, then " +
        '`eval "$(bash scripts/infra.sh env)"`), or run every service in one process with `npm start`.',
    ]);
  }
  const identity = createServiceIdentity(await serviceKeyOf(env, service), acceptedServiceKeysOf(env));
  const logger = createLogger({ service, level: env.LOG_LEVEL });
  const tracing = await startTracing({
    serviceName: env.OTEL_SERVICE_NAME ?? service,
    otlpEndpoint: env.OTEL_EXPORTER_OTLP_ENDPOINT,
    logger,
  });
  const database = env.DATABASE_URL
    ? createPostgresConnector({ url: env.DATABASE_URL, max: env.DATABASE_POOL_MAX })
    : createPgliteConnector({ dataDir: join(env.DATA_DIR, "pglite", service) });
  const bus: EventBus = env.KAFKA_BROKERS
    ? createKafkaBus({
        brokers: env.KAFKA_BROKERS.split(","),
        clientId: service,
        logger,
        namespace: env.KAFKA_NAMESPACE,
      })
    : noBus(service);
  const discovery: Discovery = env.CONSUL_HTTP_ADDR
    ? createConsulDiscovery({ url: env.CONSUL_HTTP_ADDR, logger })
    : createStaticDiscovery(
        {
          auth: urlList(env.AUTH_SERVICE_URL),
          user: urlList(env.USER_SERVICE_URL),
          image: urlList(env.IMAGE_SERVICE_URL),
          comment: urlList(env.COMMENT_SERVICE_URL),
        },
        { lookup: dnsAddresses },
      );
  return {
    logger,
    database,
    bus,
    discovery,
    instances: http2Instances(),
    dataDir: env.DATA_DIR,
    identity,
    close: () =>
      closeInTurn([
        () => discovery.close(),
        () => bus.close(),
        () => database.close(),
        () => tracing.shutdown(),
      ]),
  };
}

async function closeInTurn(steps: (() => Promise<void>)[]): Promise<void> {
  const failures: unknown[] = [];
  for (const step of steps) {
    try {
      await step();
    } catch (error) {
      failures.push(error);
    }
  }
  if (failures.length === 1) throw failures[0];
  if (failures.length > 1) throw new AggregateError(failures, "closing the runtime failed");
}

/** The bus of a process that declared it has no events: any use is a mistake, said clearly. */
function noBus(service: string): EventBus {
  const refuse = async (): Promise<never> => {
    throw new ConfigError([`KAFKA_BROKERS: ${service} was started without events, yet uses the bus (unset)`]);
  };
  return { send: refuse, subscribe: refuse, ping: async () => {}, close: async () => {} };
}
