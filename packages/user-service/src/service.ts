import { fileURLToPath } from "node:url";
import type { ConnectRouter } from "@connectrpc/connect";
import {
  authServiceVerifier,
  createAuthInterceptor,
  type Database,
  databaseService,
  type Outbox,
  type ServiceModule,
  startServiceEvents,
} from "@instagram/kit";
import { createApp } from "./app.ts";
import { inbox, outbox as outboxTable, USERS_SCHEMA } from "./db/schema/index.ts";
import type { UserEnv } from "./env.ts";
import { CONSUMER_NAME, createEventHandlers } from "./events/handlers.ts";
import { userRoutes } from "./routes.ts";
import { createUserServiceImpl } from "./rpc/user-service.ts";
import { createFollowGraph } from "./use-cases/follow-graph.ts";
import { createProfileDirectory } from "./use-cases/profile-directory.ts";

export { loadUserEnv, type UserEnv } from "./env.ts";

export const userMigrationsFolder = fileURLToPath(new URL("./db/migrations", import.meta.url));
/** The schema and migrations of user-service (for test databases). */
export const userMigrations = { schema: USERS_SCHEMA, migrationsFolder: userMigrationsFolder };

/** The use cases behind the RPC handlers; the testbed wires the same. */
export function createUserRoutes(deps: { db: Database; outbox: Outbox }): (router: ConnectRouter) => void {
  return userRoutes(
    createUserServiceImpl({ directory: createProfileDirectory(deps), graph: createFollowGraph(deps) }),
  );
}

/** user-service: profiles and the follow graph; consumes accounts and images, publishes users. */
export function createUserService(env: UserEnv): ServiceModule {
  return databaseService({
    name: "user",
    ...userMigrations,
    async start({ db, logger, runtime, readiness }) {
      const events = await startServiceEvents({
        db,
        bus: runtime.bus,
        logger,
        outbox: outboxTable,
        consumer: {
          name: CONSUMER_NAME,
          inbox,
          handlers: (outbox) => createEventHandlers(outbox),
          inboxRetention: { keepMs: env.INBOX_RETENTION_SECONDS * 1000 },
        },
      });
      const interceptors = [createAuthInterceptor(authServiceVerifier(env.JWT_ISSUER, runtime))];
      const routes = createUserRoutes({ db, outbox: events.outbox });
      const app = createApp({ routes, interceptors, logger, readiness });
      return { app, routes, interceptors, stop: events.stop };
    },
  });
}
