import { fileURLToPath } from "node:url";
import {
  authServiceJwks,
  createAccessTokenVerifier,
  createAuthInterceptor,
  type ServiceModule,
  startServiceEvents,
} from "@instagram/kit";
import { sql } from "drizzle-orm";
import { createApp } from "./app.ts";
import { inbox, outbox as outboxTable, USERS_SCHEMA } from "./db/schema/index.ts";
import type { UserEnv } from "./env.ts";
import { CONSUMER_NAME, createEventHandlers } from "./events/handlers.ts";
import { createRoutes } from "./routes.ts";

export { loadUserEnv, type UserEnv } from "./env.ts";

const migrationsFolder = fileURLToPath(new URL("./db/migrations", import.meta.url));

/** user-service: profiles and the follow graph; consumes accounts and images, publishes users. */
export function createUserService(env: UserEnv): ServiceModule {
  return {
    name: "user",
    schema: USERS_SCHEMA,
    migrationsFolder,
    async start(ctx) {
      const db = ctx.db;
      if (db === undefined) throw new Error("user-service needs a database");
      const { logger, runtime } = ctx;
      const events = await startServiceEvents({
        db,
        bus: runtime.bus,
        logger,
        outbox: outboxTable,
        consumer: { name: CONSUMER_NAME, inbox, handlers: createEventHandlers },
      });
      const verifier = createAccessTokenVerifier({
        issuer: env.JWT_ISSUER,
        jwks: authServiceJwks(runtime.discovery, { instances: runtime.instances }),
      });
      const interceptors = [createAuthInterceptor(verifier)];
      const routes = createRoutes({ db, outbox: events.outbox, published: events.published, logger });
      const app = createApp({
        routes,
        interceptors,
        logger,
        readiness: async () => {
          await db.execute(sql`select 1`);
          await runtime.bus.ping();
        },
      });
      return { app, routes, interceptors, stop: events.stop };
    },
  };
}
