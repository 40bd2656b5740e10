import { hostname } from "node:os";
import { type DatabaseHandle, migrate } from "../db/index.ts";
import type { ServiceInstance } from "../discovery/types.ts";
import { serviceLogger } from "../log/logger.ts";
import { listenNode } from "../server/node-server.ts";
import type { ServiceModule, ServiceRuntime, StartedService } from "./types.ts";

export interface ListenAddress {
  host: string;
  port: number;
  /** The host others reach this instance at; default `host`, or the machine name for 0.0.0.0 / ::. */
  advertiseHost?: string;
  /** Longest wait for in-flight requests at stop; default 10 s. */
  drainMs?: number;
}

export interface LaunchedService {
  url: string;
  /** Deregister → close the server (drain) → stop the module → release its database handle. */
  stop(): Promise<void>;
}

/**
 * Runs one service module: binds its port (so it knows its URL), migrates its schema, starts it,
 * serves it (HTTP/1.1 + gRPC over HTTP/2 on the one port) and registers it in discovery.
 */
export async function launchService(
  module: ServiceModule,
  runtime: ServiceRuntime,
  listen: ListenAddress,
): Promise<LaunchedService> {
  const logger = serviceLogger(runtime.logger, module.name);
  const server = await listenNode({ host: listen.host, port: listen.port, drainMs: listen.drainMs, logger });
  const url = `http://${advertisedHost(listen)}:${server.port}`;
  const instance: ServiceInstance = {
    service: module.name,
    id: `${module.name}-${advertisedHost(listen)}-${server.port}`.replace(/[^A-Za-z0-9_.-]/g, "-"),
    url,
  };

  let handle: DatabaseHandle | undefined;
  let started: StartedService | undefined;
  try {
    if (module.schema !== undefined) {
      handle = await runtime.database.connect();
      if (module.migrationsFolder !== undefined) {
        await migrate(handle, { schema: module.schema, migrationsFolder: module.migrationsFolder });
      }
    }
    started = await module.start({ runtime, db: handle?.db, logger, url });
    server.attach({
      name: module.name,
      app: started.app,
      routes: started.routes,
      interceptors: started.interceptors,
    });
    await runtime.discovery.register(instance);
  } catch (error) {
    await server.close();
    await started?.stop?.();
    await handle?.close();
    throw error;
  }
  logger.info({ url, listening: `${listen.host}:${server.port}` }, "service started");

  const running = started;
  let stopping: Promise<void> | undefined;
  async function stop(): Promise<void> {
    try {
      await runtime.discovery.deregister(instance);
    } catch (error) {
      logger.warn({ err: error }, "deregistering failed; the health check will retire this instance");
    }
    await server.close();
    await running.stop?.();
    await handle?.close();
    logger.info("service stopped");
  }
  return {
    url,
    stop: () => {
      stopping ??= stop();
      return stopping;
    },
  };
}

function advertisedHost(listen: ListenAddress): string {
  if (listen.advertiseHost) return listen.advertiseHost;
  if (listen.host === "0.0.0.0" || listen.host === "::" || listen.host === "") return hostname();
  return listen.host.includes(":") ? `[${listen.host}]` : listen.host;
}
