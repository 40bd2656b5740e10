import { join } from "node:path";
import type { CommonEnv } from "../config/common-env.ts";
import { createPgliteConnector, createPostgresConnector } from "../db/node.ts";
import { createConsulDiscovery } from "../discovery/consul.ts";
import { http2Instances } from "../discovery/http2.ts";
import { createStaticDiscovery } from "../discovery/static.ts";
import type { Discovery } from "../discovery/types.ts";
import { createInProcessBus, type EventBus } from "../events/index.ts";
import { createKafkaBus } from "../events/kafka-bus.ts";
import { createLogger } from "../log/logger.ts";
import { startTracing } from "../telemetry/node.ts";
import type { ServiceRuntime } from "./types.ts";

/**
 * The runtime of a one-service process, chosen by configuration: DATABASE_URL → PostgreSQL, else
 * PGlite under DATA_DIR/pglite/<service> (one directory per process: PGlite cannot be shared between
 * processes); KAFKA_BROKERS → Kafka, else an in-process bus; CONSUL_HTTP_ADDR → Consul, else the
 * static *_SERVICE_URL addresses; calls go over HTTP/2 (http2Instances). Tracing is started for the process (OTLP export when
 * OTEL_EXPORTER_OTLP_ENDPOINT is set). close() closes discovery, bus, database and tracing, each
 * even when an earlier one fails.
 */
export async function createRuntimeFromEnv(env: CommonEnv, service: string): Promise<ServiceRuntime> {
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
    : createInProcessBus({ logger });
  const discovery: Discovery = env.CONSUL_HTTP_ADDR
    ? createConsulDiscovery({ url: env.CONSUL_HTTP_ADDR, logger })
    : createStaticDiscovery({
        auth: [env.AUTH_SERVICE_URL],
        user: [env.USER_SERVICE_URL],
        image: [env.IMAGE_SERVICE_URL],
        comment: [env.COMMENT_SERVICE_URL],
      });
  return {
    logger,
    database,
    bus,
    discovery,
    instances: http2Instances(),
    dataDir: env.DATA_DIR,
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
