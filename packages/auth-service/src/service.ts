import { fileURLToPath } from "node:url";
import {
  createAccessTokenSigner,
  createAccessTokenVerifier,
  createAuthInterceptor,
  type ServiceModule,
  startServiceEvents,
} from "@instagram/kit";
import { loadOrCreateSigningKey } from "@instagram/kit/node";
import { sql } from "drizzle-orm";
import { createApp } from "./app.ts";
import { outbox as outboxTable } from "./db/schema/index.ts";
import { createLoginThrottle } from "./domain/login-throttle.ts";
import type { AuthEnv } from "./env.ts";
import { createArgon2Hasher } from "./passwords.ts";
import { authRoutes } from "./routes.ts";
import { createAuthServiceImpl } from "./rpc/auth-service.ts";

export { type AuthEnv, loadAuthEnv } from "./env.ts";

export const AUTH_SCHEMA = "auth";
const migrationsFolder = fileURLToPath(new URL("./db/migrations", import.meta.url));

export function createAuthService(env: AuthEnv): ServiceModule {
  return {
    name: "auth",
    schema: AUTH_SCHEMA,
    migrationsFolder,
    async start(ctx) {
      const db = ctx.db;
      if (db === undefined) throw new Error("auth-service needs a database");
      const logger = ctx.logger;
      const privateJwk =
        env.JWT_PRIVATE_KEY !== undefined
          ? JSON.parse(env.JWT_PRIVATE_KEY)
          : await loadOrCreateSigningKey(`${ctx.runtime.dataDir}/keys/auth-signing-key.json`);
      const signer = await createAccessTokenSigner({
        privateJwk,
        issuer: env.JWT_ISSUER,
        ttlSeconds: env.ACCESS_TOKEN_TTL_SECONDS,
      });
      const verifier = createAccessTokenVerifier({ issuer: env.JWT_ISSUER, jwks: signer.jwks() });
      const events = await startServiceEvents({ db, bus: ctx.runtime.bus, logger, outbox: outboxTable });
      const impl = createAuthServiceImpl({
        db,
        hasher: createArgon2Hasher(),
        signer,
        outbox: events.outbox,
        throttle: createLoginThrottle({
          maxFailures: env.LOGIN_MAX_FAILURES,
          windowSeconds: env.LOGIN_FAILURE_WINDOW_SECONDS,
        }),
        refreshTokenTtlSeconds: env.REFRESH_TOKEN_TTL_SECONDS,
        logger,
        now: () => new Date(),
        onPublished: events.published,
      });
      const routes = authRoutes(impl);
      const interceptors = [createAuthInterceptor(verifier)];
      const app = createApp({
        routes,
        interceptors,
        signer,
        logger,
        readiness: async () => {
          await db.execute(sql`select 1`);
        },
      });
      return { app, routes, interceptors, stop: events.stop };
    },
  };
}
