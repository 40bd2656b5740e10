import type { Database } from "../db/types.ts";
import { dependencyReadiness } from "../server/readiness.ts";
import type { ServiceContext, ServiceModule, StartedService } from "./types.ts";

/** What a service that owns a schema gets at start: its database, migrated, and their readiness. */
export interface DatabaseServiceContext extends ServiceContext {
  db: Database;
  /** The launcher's, or else: the database and the bus answer. */
  readiness: () => Promise<void>;
}

export interface DatabaseServiceModule {
  name: string;
  schema: string;
  migrationsFolder: string;
  start(ctx: DatabaseServiceContext): Promise<StartedService>;
}

/** A ServiceModule that owns a Postgres schema: the launcher migrates it, `start` receives it. */
export function databaseService(module: DatabaseServiceModule): ServiceModule {
  return {
    ...module,
    async start(ctx) {
      const { db } = ctx;
      if (db === undefined) throw new Error(`${module.name}-service needs a database`);
      const readiness = ctx.readiness ?? dependencyReadiness({ db, bus: ctx.runtime.bus });
      return module.start({ ...ctx, db, readiness });
    },
  };
}
