// Helpers for service tests: an in-memory database, an in-process bus, fixed tokens.
import type { JWTPayload } from "jose";
import { migrate } from "./db/migrate.ts";
import { createPgliteConnector } from "./db/node.ts";
import type { DatabaseHandle } from "./db/types.ts";
import { createStaticDiscovery } from "./discovery/static.ts";
import { createInProcessBus } from "./events/index.ts";
import { createLogger } from "./log/logger.ts";
import type { ServiceRuntime } from "./runtime/types.ts";
import { inMemoryServiceIdentity } from "./service-identity/identity.ts";
import { type AccessTokenSigner, createAccessTokenSigner, generateSigningKey } from "./tokens/signer.ts";
import { type AccessTokenVerifier, createAccessTokenVerifier } from "./tokens/verifier.ts";

export { createInProcessBus } from "./events/index.ts";
export { type BusRecording, recordBus } from "./testing/bus-recording.ts";
export { connectFailure } from "./testing/connect.ts";
export { eventApplied, type PublishedEvent, publishedEvents, testEvent } from "./testing/events.ts";

/**
 * A fresh in-memory PGlite with the module's migrations applied. close() discards it.
 * Pass the service module itself, or just { schema, migrationsFolder }.
 */
export async function createTestDatabase(module: {
  schema?: string;
  migrationsFolder?: string;
}): Promise<DatabaseHandle> {
  const connector = createPgliteConnector({ memory: true });
  const handle = await connector.connect();
  if (module.schema !== undefined && module.migrationsFolder !== undefined) {
    await migrate(handle, { schema: module.schema, migrationsFolder: module.migrationsFolder });
  }
  return {
    db: handle.db,
    ping: () => handle.ping(),
    async close() {
      await handle.close();
      await connector.close();
    },
  };
}

export interface TestTokens {
  signer: AccessTokenSigner;
  verifier: AccessTokenVerifier;
  issuer: string;
  /** A valid access token for `userId`. */
  tokenFor(userId: string, claims?: Record<string, unknown>): Promise<string>;
  /** "Bearer <token>" for `userId`, for an Authorization header. */
  authorizationFor(userId: string, claims?: Record<string, unknown>): Promise<string>;
}

/** A throwaway signing key with its signer and a verifier that trusts it. */
export async function createTestTokens(
  opts: { issuer?: string; ttlSeconds?: number } = {},
): Promise<TestTokens> {
  const issuer = opts.issuer ?? "instagram-clone";
  const signer = await createAccessTokenSigner({
    privateJwk: await generateSigningKey(),
    issuer,
    ttlSeconds: opts.ttlSeconds ?? 900,
  });
  const verifier = createAccessTokenVerifier({ issuer, jwks: signer.jwks() });
  const tokenFor = async (userId: string, claims?: JWTPayload) => (await signer.sign(userId, claims)).token;
  return {
    signer,
    verifier,
    issuer,
    tokenFor,
    authorizationFor: async (userId, claims) => `Bearer ${await tokenFor(userId, claims)}`,
  };
}

/**
 * A runtime for launching modules in tests: one in-memory PGlite, an in-process bus, static
 * discovery (launched modules register themselves), a silent logger. close() releases it all.
 */
export function createTestRuntime(
  opts: { urls?: Record<string, string[]>; logLevel?: string } = {},
): ServiceRuntime {
  const logger = createLogger({ service: "test", level: opts.logLevel ?? "silent" });
  const database = createPgliteConnector({ memory: true });
  const bus = createInProcessBus({ logger });
  const discovery = createStaticDiscovery(opts.urls ?? {});
  return {
    logger,
    database,
    bus,
    discovery,
    dataDir: ".data/test",
    identity: inMemoryServiceIdentity(),
    async close() {
      await discovery.close();
      await bus.close();
      await database.close();
    },
  };
}
