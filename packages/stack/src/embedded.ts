import { join } from "node:path";
import {
  createInProcessBus,
  createLogger,
  createStaticDiscovery,
  type Environment,
  type ServiceRuntime,
} from "@instagram/kit";
import { createPgliteConnector, launchService } from "@instagram/kit/node";
import {
  type Ports,
  portOf,
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
    dataDir: options.dataDir,
  };

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
      const port = portOf(entry, options.ports);
      const env: Environment = {
        ...options.env,
        ...serviceUrlVariables(urls),
        HOST: host,
        PORT: String(port),
        DATA_DIR: options.dataDir,
        LOG_LEVEL: options.logLevel ?? options.env?.LOG_LEVEL ?? "info",
      };
      const started = await launchService(entry.create(env), runtime, { host, port });
      launched.push({ name: entry.name, stop: started.stop });
    }
  } catch (error) {
    await stop();
    throw error;
  }

  const gatewayUrl = urls.gateway;
  if (!gatewayUrl) throw new Error("the stack has no gateway");
  return { gatewayUrl, urls, stop };
}
