import { hostname } from "node:os";
import { rememberCallerDeadline } from "../discovery/caller-deadline.ts";
import { errorBoundary } from "../errors/connect-boundary.ts";
import { serviceLogger } from "../log/logger.ts";
import { readinessOf, withGrpcConventions } from "../server/grpc-conventions.ts";
import type { HttpTimeouts } from "../server/http1-edge.ts";
import { serveMetricsPort } from "../server/metrics-port.ts";
import { listenNode, type NodeServer } from "../server/node-server.ts";
import { refuseNulText } from "../server/nul-text.ts";
import { requireServiceToken } from "../service-identity/interceptors.ts";
import { type LaunchedService, launchModule } from "./launch-module.ts";
import type { ServiceModule, ServiceRuntime } from "./types.ts";

export type { LaunchedService } from "./launch-module.ts";

export interface ListenAddress {
  host: string;
  port: number;
  /** The host others reach this instance at; default `host`, or the machine name for 0.0.0.0 / ::. */
  advertiseHost?: string;
  /** Longest wait for in-flight requests at stop; default 10 s. */
  drainMs?: number;
  /** How long a client may take to send a request (HTTP/1.1); the kit's defaults when absent. */
  timeouts?: HttpTimeouts;
  /** Also serve GET /metrics alone on this port of `host` (0: a free one); none when absent. */
  metricsPort?: number;
}

export interface NodeLaunchedService extends LaunchedService {
  /** http://host:port of the metrics port, when one was asked for. */
  metricsUrl?: string;
}

/**
 * Runs one service module on Node: binds its port (so it knows its URL), migrates its schema,
 * starts it, serves it (HTTP/1.1 + gRPC over HTTP/2 on the one port) and registers it in discovery.
 */
export async function launchService(
  module: ServiceModule,
  runtime: ServiceRuntime,
  listen: ListenAddress,
): Promise<NodeLaunchedService> {
  const logger = serviceLogger(runtime.logger, module.name);
  const server = await listenNode({
    host: listen.host,
    port: listen.port,
    drainMs: listen.drainMs,
    timeouts: listen.timeouts,
    logger,
  });
  let metrics: NodeServer | undefined;
  try {
    if (listen.metricsPort !== undefined) {
      metrics = await serveMetricsPort({ host: listen.host, port: listen.metricsPort, logger });
      logger.info({ metrics: `${metrics.url}/metrics` }, "metrics port open");
    }
  } catch (error) {
    await server.close();
    throw error;
  }
  const stopping = new AbortController();
  const launched = await launchModule(module, runtime, {
    url: `http://${advertisedHost(listen)}:${server.port}`,
    listening: `${listen.host}:${server.port}`,
    serve: (started) =>
      server.attach({
        name: module.name,
        app: started.app,
        // Plus grpc.health.v1 (what /readyz says) and server reflection.
        routes: withGrpcConventions(started.routes, {
          readiness: readinessOf(started.app),
          stopping: stopping.signal,
        }),
        // Calls the handlers make inherit the incoming call's deadline (http2Instances).
        interceptors: [
          rememberCallerDeadline,
          errorBoundary(logger),
          requireServiceToken(() => runtime.identity.verifier, logger),
          refuseNulText,
          ...(started.interceptors ?? []),
        ],
      }),
    close: async () => {
      stopping.abort();
      await server.close();
      await metrics?.close();
    },
  });
  return metrics ? { ...launched, metricsUrl: metrics.url } : launched;
}

function advertisedHost(listen: ListenAddress): string {
  if (listen.advertiseHost) return listen.advertiseHost;
  if (listen.host === "0.0.0.0" || listen.host === "::" || listen.host === "") return hostname();
  return listen.host.includes(":") ? `[${listen.host}]` : listen.host;
}
