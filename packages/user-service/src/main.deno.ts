// Deno entry: the same module served by Deno.serve (Connect + gRPC-web; real gRPC needs Node's h2).
// Run from the repo root: deno run -A packages/user-service/src/main.deno.ts
import { type FetchApp, migrate } from "@instagram/kit";
import { createRuntimeFromEnv } from "@instagram/kit/node";
import { createUserService, loadUserEnv } from "./service.ts";

const env = loadUserEnv(Deno.env.toObject());
const runtime = await createRuntimeFromEnv(env, "user");
const module = createUserService(env);
const database = await runtime.database.connect();
await migrate(database, {
  schema: module.schema ?? "users",
  migrationsFolder: module.migrationsFolder ?? "",
});

let app: FetchApp | undefined;
const server = Deno.serve({ hostname: env.HOST, port: env.PORT, onListen: () => {} }, (request) =>
  app ? app.fetch(request) : new Response("starting", { status: 503 }),
);
const url = `http://${env.ADVERTISE_HOST ?? env.HOST}:${server.addr.port}`;
const started = await module.start({ runtime, db: database.db, logger: runtime.logger, url });
app = started.app;
const instance = { service: module.name, id: `user-deno-${server.addr.port}`, url };
await runtime.discovery.register(instance);
runtime.logger.info({ url, runtime: "deno" }, "service started");

for (const signal of ["SIGINT", "SIGTERM"] as const) {
  Deno.addSignalListener(signal, async () => {
    await runtime.discovery.deregister(instance).catch(() => {});
    await server.shutdown();
    await started.stop?.();
    await database.close();
    await runtime.close?.();
    Deno.exit(0);
  });
}
