import type { ConnectRouter, Interceptor } from "@connectrpc/connect";
import type { Database, DatabaseConnector } from "../db/index.ts";
import type { InstanceTransports } from "../discovery/transport.ts";
import type { Discovery } from "../discovery/types.ts";
import type { EventBus } from "../events/index.ts";
import type { Logger } from "../log/logger.ts";
import type { HttpApp } from "../server/fetch-app.ts";
import type { ServiceIdentity } from "../service-identity/identity.ts";

/** What a process gives the services it runs: one of each, shared by every service in it. */
export interface ServiceRuntime {
  /** Root logger; services take .child({ service }). */
  logger: Logger;
  database: DatabaseConnector;
  bus: EventBus;
  discovery: Discovery;
  /** How calls reach one instance (createServiceTransport's `instances`); absent: Connect over fetch. */
  instances?: InstanceTransports;
  dataDir: string;
  /**
   * The deployment's service identity: launchModule signs each service's calls to internal methods
   * with it (through `instances`) and checks the tokens its internal methods receive.
   */
  identity: ServiceIdentity;
  /** Closes what the runtime opened (discovery, bus, database), after every service has stopped. */
  close?(): Promise<void>;
}

/** Each service exports one from src/service.ts. */
export interface ServiceModule {
  name: string;
  /** The Postgres schema the service owns; absent for the gateway (no database). */
  schema?: string;
  migrationsFolder?: string;
  start(ctx: ServiceContext): Promise<StartedService>;
}

export interface ServiceContext {
  runtime: ServiceRuntime;
  /** Migrated, when the module has a schema. */
  db: Database | undefined;
  logger: Logger;
  /** The URL this instance is reachable at (already bound). */
  url: string;
  /**
   * Readiness of what the kit gave the service (its database, the bus), for its /readyz; add the
   * service's own required peers with dependencyReadiness({ others }) if any.
   */
  readiness?: () => Promise<void>;
}

export interface StartedService {
  /** From createServiceApp, or the gateway's own Hono app. */
  app: HttpApp;
  /** Served as gRPC over HTTP/2 too. */
  routes?: (router: ConnectRouter) => void;
  interceptors?: Interceptor[];
  /** Stops relays and consumers. */
  stop?(): Promise<void>;
}
