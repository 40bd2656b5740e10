import { type DatabaseHandle, migrate } from "../db/index.ts";
import { fetchInstances } from "../discovery/transport.ts";
import type { ServiceInstance } from "../discovery/types.ts";
import { serviceLogger } from "../log/logger.ts";
import { dependencyReadiness } from "../server/readiness.ts";
import { acceptServiceTokens, instancesPresenting } from "../service-identity/identity.ts";
import type { ServiceModule, ServiceRuntime, StartedService } from "./types.ts";

/**
 * Where a module is served: a server already bound (so the module knows its URL) that starts
 * answering with the started module's app once `serve` is called. serveNode on Node, Deno.serve
 * on Deno.
 */
export interface ServiceHost {
  /** The URL others reach this instance at. */
  url: string;
  /** The local address bound (e.g. 0.0.0.0:8081), for the log. */
  listening?: string;
  serve(started: StartedService): void;
  /** Stops the server, letting in-flight requests finish. */
  close(): Promise<void>;
}

export interface LaunchedService {
  url: string;
  /** Deregister → close the server (drain) → stop the module → release its database handle. */
  stop(): Promise<void>;
}

/**
 * Runs one service module on a bound `host`: migrates its schema, starts it, serves it and
 * registers it in discovery. Portable: each runtime's entry brings its own server.
 */
export async function launchModule(
  module: ServiceModule,
  runtime: ServiceRuntime,
  host: ServiceHost,
): Promise<LaunchedService> {
  const logger = serviceLogger(runtime.logger, module.name);
  const { url } = host;
  const instance: ServiceInstance = {
    service: module.name,
    id: `${module.name}-${new URL(url).host}`.replace(/[^A-Za-z0-9_.-]/g, "-"),
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
    const readiness = dependencyReadiness({ db: handle?.db, bus: runtime.bus });
    // The module's calls to internal methods carry its own service token.
    const signer = runtime.identity.signerFor(module.name);
    const own = { ...runtime, instances: instancesPresenting(runtime.instances ?? fetchInstances(), signer) };
    started = await module.start({ runtime: own, db: handle?.db, logger, url, readiness });
    acceptServiceTokens(started.app, runtime.identity.verifier);
    host.serve(started);
    await runtime.discovery.register(instance);
  } catch (error) {
    await host.close();
    await started?.stop?.();
    await handle?.close();
    throw error;
  }
  logger.info({ url, listening: host.listening }, "service started");

  const running = started;
  let stopping: Promise<void> | undefined;
  async function stop(): Promise<void> {
    try {
      await runtime.discovery.deregister(instance);
    } catch (error) {
      logger.warn({ err: error }, "deregistering failed; the health check will retire this instance");
    }
    await host.close();
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
