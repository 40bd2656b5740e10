import type { Database } from "../db/types.ts";
import type { ServiceContext, ServiceModule, StartedService } from "./types.ts";

/** What a service that owns a schema gets at start: its database, migrated. */
export interface DatabaseServiceContext extends ServiceContext {
  db: Database;
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
      return module.start({ ...ctx, db });
    },
  };
}
