import { fileURLToPath } from "node:url";
import type { ConnectRouter } from "@connectrpc/connect";
import {
  type AccessTokenSigner,
  createAccessTokenSigner,
  createAccessTokenVerifier,
  createAuthInterceptor,
  createRevokedSessions,
  databaseService,
  dependencyReadiness,
  type ServiceModule,
  startServiceEvents,
} from "@instagram/kit";
import { loadOrCreateSigningKey } from "@instagram/kit/node";
import { createApp } from "./app.ts";
import { outbox as outboxTable } from "./db/schema/index.ts";
import { listSessionsRevokedSince } from "./db/sessions.ts";
import type { AuthEnv } from "./env.ts";
import { createArgon2Hasher } from "./passwords/argon2-hasher.ts";
import { authRoutes } from "./routes.ts";
import { createAuthServiceImpl } from "./rpc/auth-service.ts";
import { createAccounts } from "./use-cases/accounts.ts";
import type { AuthDeps } from "./use-cases/deps.ts";
import { startSessionSweep } from "./use-cases/session-retention.ts";
import { createSessions, REVOKED_SESSIONS_PAGE } from "./use-cases/sessions.ts";

export { type AuthEnv, loadAuthEnv } from "./env.ts";

export const AUTH_SCHEMA = "auth";
export const authMigrationsFolder = fileURLToPath(new URL("./db/migrations", import.meta.url));
/** The schema and migrations of auth-service (for test databases). */
export const authMigrations = { schema: AUTH_SCHEMA, migrationsFolder: authMigrationsFolder };

/** The Connect routes over the use cases (the testbed builds them the same way). */
export function createAuthRoutes(deps: AuthDeps): (router: ConnectRouter) => void {
  return authRoutes(
    createAuthServiceImpl({
      accounts: createAccounts(deps),
      sessions: createSessions(deps),
      signer: deps.signer,
    }),
  );
}

/** JWT_PRIVATE_KEY, else the key file under DATA_DIR (created at first start). */
async function signerOf(env: AuthEnv, dataDir: string): Promise<AccessTokenSigner> {
  const privateJwk =
    env.JWT_PRIVATE_KEY !== undefined
      ? JSON.parse(env.JWT_PRIVATE_KEY)
      : await loadOrCreateSigningKey(`${dataDir}/keys/auth-signing-key.json`);
  return createAccessTokenSigner({
    privateJwk,
    issuer: env.JWT_ISSUER,
    ttlSeconds: env.ACCESS_TOKEN_TTL_SECONDS,
  });
}

/**
 * auth-service: accounts, sessions and their refresh tokens, the access-token signing key (JWKS).
 * Publishes `accounts`; consumes nothing. Sweeps ended sessions past their retention and the
 * login-failure counts of windows that are over.
 */
export function createAuthService(env: AuthEnv): ServiceModule {
  return databaseService({
    name: "auth",
    ...authMigrations,
    async start({ db, logger, runtime, readiness }) {
      const signer = await signerOf(env, runtime.dataDir);
      const verifier = createAccessTokenVerifier({
        issuer: env.JWT_ISSUER,
        jwks: signer.jwks(),
        // Its own database is the source: the same poll as elsewhere, without the RPC.
        revokedSessions: createRevokedSessions({
          fetchSince: (since) => listSessionsRevokedSince(db, since, REVOKED_SESSIONS_PAGE),
          pageSize: REVOKED_SESSIONS_PAGE,
        }),
      });
      const events = await startServiceEvents({ db, bus: runtime.bus, logger, outbox: outboxTable });
      const lockout = {
        maxFailures: env.LOGIN_MAX_FAILURES,
        windowSeconds: env.LOGIN_FAILURE_WINDOW_SECONDS,
      };
      const sweep = startSessionSweep({
        db,
        logger,
        lockout,
        retention: {
          keepSeconds: env.SESSION_RETENTION_SECONDS,
          everySeconds: env.SESSION_SWEEP_EVERY_SECONDS,
        },
      });
      const routes = createAuthRoutes({
        db,
        hasher: createArgon2Hasher(),
        signer,
        outbox: events.outbox,
        lockout,
        refreshTokenTtlSeconds: env.REFRESH_TOKEN_TTL_SECONDS,
        logger,
        now: () => new Date(),
      });
      const interceptors = [createAuthInterceptor(verifier)];
      const app = createApp({
        routes,
        interceptors,
        signer,
        logger,
        readiness: readiness ?? dependencyReadiness({ db, bus: runtime.bus }),
      });
      return {
        app,
        routes,
        interceptors,
        async stop() {
          await sweep.stop();
          await events.stop();
        },
      };
    },
  });
}
