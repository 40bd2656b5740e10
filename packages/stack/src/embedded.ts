import { join } from "node:path";
import { loadImageEnv } from "@instagram/image-service";
import {
  createInProcessBus,
  createLogger,
  createStaticDiscovery,
  type DatabaseConnector,
  type Environment,
  inMemoryServiceIdentity,
  type ServiceRuntime,
} from "@instagram/kit";
import { createPgliteConnector, http2Instances, launchService } from "@instagram/kit/node";
import {
  type Ports,
  portOf,
  type ServiceEntry,
  type ServiceName,
  services,
  serviceUrlVariables,
  startWaves,
} from "./services.ts";

export interface EmbeddedStackOptions {
  /** Where PGlite (`<dataDir>/pglite`) and the services' files live. */
  dataDir: string;
  ports?: Ports;
  host?: string;
  logLevel?: string;
  /** Extra variables handed to every service's env loader (JWT_ISSUER, ...). */
  env?: Environment;
}

export interface EmbeddedStack {
  gatewayUrl: string;
  urls: Partial<Record<ServiceName, string>>;
  /**
   * The one database of every service (PGlite, which no other process can open): for operations
   * tools in this process, such as the orphan audit. stop() closes it.
   */
  database: DatabaseConnector;
  /** image-service's BLOB_DIR. */
  blobDir: string;
  stop(): Promise<void>;
}

/** Every service in this process: one PGlite database, one in-process bus, static discovery. */
export async function startEmbeddedStack(options: EmbeddedStackOptions): Promise<EmbeddedStack> {
  const host = options.host ?? "127.0.0.1";
  const urls: Partial<Record<ServiceName, string>> = {};
  for (const entry of services) urls[entry.name] = `http://${host}:${portOf(entry, options.ports)}`;

  const logger = createLogger({ service: "stack", level: options.logLevel ?? "info" });
  const bus = createInProcessBus({ logger });
  const discovery = createStaticDiscovery(
    Object.fromEntries(Object.entries(urls).map(([name, url]) => [name, [url]])),
  );
  const runtime: ServiceRuntime = {
    logger,
    database: createPgliteConnector({ dataDir: join(options.dataDir, "pglite") }),
    bus,
    discovery,
    instances: http2Instances(),
    dataDir: options.dataDir,
    // One process: the services' tokens are signed and checked with a key that lives in memory.
    identity: inMemoryServiceIdentity(),
  };

  const envOf = (entry: ServiceEntry): Environment => ({
    // Every service shares one PGlite here, which runs one statement at a time: under a burst the
    // gateway's calls queue behind each other, so they get a longer deadline than the 5 s default.
    SERVICE_CALL_TIMEOUT_MS: "15000",
    ...options.env,
    ...serviceUrlVariables(urls),
    HOST: host,
    PORT: String(portOf(entry, options.ports)),
    DATA_DIR: options.dataDir,
    LOG_LEVEL: options.logLevel ?? options.env?.LOG_LEVEL ?? "info",
  });
  const image = services.find((entry) => entry.name === "image");
  if (!image) throw new Error("the stack has no image-service");
  // As image-service reads it.
  const blobDir = loadImageEnv(envOf(image)).BLOB_DIR;

  const launched: { name: string; stop(): Promise<void> }[] = [];
  const stop = async (): Promise<void> => {
    for (const service of launched.reverse()) {
      try {
        await service.stop();
      } catch (error) {
        logger.error({ err: error, service: service.name }, "stop failed");
      }
    }
    await bus.close();
    await discovery.close();
    await runtime.database.close();
  };

  try {
    // One PGlite runs one statement at a time: starting services together would gain nothing.
    for (const entry of startWaves().flat()) {
      const started = await launchService(entry.create(envOf(entry)), runtime, {
        host,
        port: portOf(entry, options.ports),
      });
      launched.push({ name: entry.name, stop: started.stop });
    }
  } catch (error) {
    await stop();
    throw error;
  }

  const gatewayUrl = urls.gateway;
  if (!gatewayUrl) throw new Error("the stack has no gateway");
  return { gatewayUrl, urls, database: runtime.database, blobDir, stop };
}
