// An auth-service in memory for tests: migrated PGlite (or a real PostgreSQL when
// AUTH_TEST_DATABASE_URL is set), the real routes behind the kit's error boundary and auth
// interceptor (createRouterTransport), a clock the test moves.
import { type Client, createClient, createRouterTransport } from "@connectrpc/connect";
import { AuthService } from "@instagram/contracts/auth";
import {
  type AccessTokenSigner,
  type AccessTokenVerifier,
  createAccessTokenSigner,
  createAccessTokenVerifier,
  createAuthInterceptor,
  createLogger,
  createOutbox,
  type Database,
  type DatabaseHandle,
  errorBoundary,
  generateSigningKey,
  migrate,
} from "@instagram/kit";
import { createPostgresConnector } from "@instagram/kit/node";
import { createTestDatabase } from "@instagram/kit/testing";
import { sql } from "drizzle-orm";
import { outbox } from "../db/schema/index.ts";
import { createArgon2Hasher, testArgon2Cost } from "../passwords/argon2-hasher.ts";
import { authMigrations, createAuthRoutes } from "../service.ts";

export const TEST_ISSUER = "instagram-clone";
/** The testbed's lockout window. */
export const LOGIN_FAILURE_WINDOW_SECONDS = 60;

export interface TestbedOptions {
  /** Default 3600. */
  refreshTokenTtlSeconds?: number;
  /** Failed logins per name within 60 s before 429; default 4. */
  maxLoginFailures?: number;
  /** Where the clock starts; default 2026-03-01T10:00:00Z. */
  startAt?: Date;
  /**
   * A database another testbed (or the test) already migrated, to run a second replica of the
   * service on; this testbed does not close it. Default: a fresh database of its own.
   */
  database?: Database;
}

export interface Testbed {
  db: Database;
  /** An AuthService client; pass `bearer(token)` as call options to act as someone. */
  client: Client<typeof AuthService>;
  signer: AccessTokenSigner;
  verifier: AccessTokenVerifier;
  /** The key access tokens are signed with (to craft tokens). */
  privateJwk: Awaited<ReturnType<typeof generateSigningKey>>;
  refreshTokenTtlSeconds: number;
  maxLoginFailures: number;
  /** The service's clock. */
  now(): Date;
  /** Moves the service's clock forward. */
  advance(seconds: number): void;
  close(): Promise<void>;
}

/** Call options acting as the holder of `accessToken`. */
export const bearer = (accessToken: string) => ({ headers: { authorization: `Bearer ${accessToken}` } });

async function openDatabase(): Promise<DatabaseHandle> {
  const url = process.env.AUTH_TEST_DATABASE_URL;
  if (!url) return createTestDatabase(authMigrations);
  const connector = createPostgresConnector({ url });
  const handle = await connector.connect();
  await handle.db.execute(sql`drop schema if exists auth cascade`);
  await migrate(handle, authMigrations);
  return { ...handle, close: () => handle.close().then(() => connector.close()) };
}

export async function createTestbed(opts: TestbedOptions = {}): Promise<Testbed> {
  const database: Pick<DatabaseHandle, "db" | "close"> =
    opts.database === undefined ? await openDatabase() : { db: opts.database, close: async () => {} };
  const privateJwk = await generateSigningKey();
  const signer = await createAccessTokenSigner({ privateJwk, issuer: TEST_ISSUER, ttlSeconds: 900 });
  const verifier = createAccessTokenVerifier({ issuer: TEST_ISSUER, jwks: signer.jwks() });
  const logger = createLogger({ service: "auth-test", level: "silent" });
  const refreshTokenTtlSeconds = opts.refreshTokenTtlSeconds ?? 3600;
  const maxLoginFailures = opts.maxLoginFailures ?? 4;
  let clock = opts.startAt ?? new Date("2026-03-01T10:00:00Z");
  const routes = createAuthRoutes({
    db: database.db,
    hasher: createArgon2Hasher(testArgon2Cost),
    signer,
    outbox: createOutbox(outbox),
    lockout: { maxFailures: maxLoginFailures, windowSeconds: LOGIN_FAILURE_WINDOW_SECONDS },
    refreshTokenTtlSeconds,
    logger,
    now: () => clock,
  });
  const transport = createRouterTransport(routes, {
    router: { interceptors: [errorBoundary(logger), createAuthInterceptor(verifier)] },
  });
  return {
    db: database.db,
    client: createClient(AuthService, transport),
    signer,
    verifier,
    privateJwk,
    refreshTokenTtlSeconds,
    maxLoginFailures,
    now: () => clock,
    advance(seconds) {
      clock = new Date(clock.getTime() + seconds * 1000);
    },
    close: () => database.close(),
  };
}
