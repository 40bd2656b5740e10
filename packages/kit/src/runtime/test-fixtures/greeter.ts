import { fileURLToPath } from "node:url";
import type { ConnectRouter } from "@connectrpc/connect";
import { AuthService } from "@instagram/contracts/auth";
import { sql } from "drizzle-orm";
import { callerOf, createAuthInterceptor } from "../../auth/caller.ts";
import { rowsOf } from "../../db/rows.ts";
import { createServiceApp } from "../../server/service-app.ts";
import type { AccessTokenVerifier } from "../../tokens/verifier.ts";
import type { ServiceModule } from "../types.ts";

/** A tiny service module for launch tests: answers GetJwks with a row of its own schema. */
export function createGreeterModule(opts: {
  verifier: AccessTokenVerifier;
  events: string[];
}): ServiceModule {
  return {
    name: "greeter",
    schema: "greeter",
    migrationsFolder: fileURLToPath(new URL("./migrations", import.meta.url)),
    async start(ctx) {
      const db = ctx.db;
      if (!db) throw new Error("greeter needs its database");
      opts.events.push(`start ${ctx.url}`);
      const routes = (router: ConnectRouter) =>
        router.service(AuthService, {
          async getJwks(_req, handler) {
            const result = await db.execute(sql`select text from greeter.greetings limit 1`);
            const greeting = rowsOf(result)[0]?.text;
            return { jwksJson: JSON.stringify({ greeting, caller: callerOf(handler) ?? null }) };
          },
        });
      const interceptors = [createAuthInterceptor(opts.verifier)];
      const app = createServiceApp({
        name: "greeter",
        routes,
        interceptors,
        readiness: async () => {
          await db.execute(sql`select 1`);
        },
      });
      return {
        app,
        routes,
        interceptors,
        async stop() {
          opts.events.push("module stop");
        },
      };
    },
  };
}
