// Deno entry: the same module served by Deno.serve (Connect + gRPC-web; real gRPC needs Node's h2).
// Run from the repo root: deno run -A packages/user-service/src/main.deno.ts
import { type FetchApp, launchModule } from "@instagram/kit";
import { createRuntimeFromEnv } from "@instagram/kit/node";
import { createUserService, loadUserEnv } from "./service.ts";

const env = loadUserEnv(Deno.env.toObject());
const runtime = await createRuntimeFromEnv(env, "user");
let app: FetchApp | undefined;
const server = Deno.serve({ hostname: env.HOST, port: env.PORT, onListen: () => {} }, (request) =>
  app ? app.fetch(request) : new Response("starting", { status: 503 }),
);
const launched = await launchModule(createUserService(env), runtime, {
  url: `http://${env.ADVERTISE_HOST ?? env.HOST}:${server.addr.port}`,
  listening: `${env.HOST}:${server.addr.port}`,
  serve: (started) => {
    app = started.app;
  },
  close: () => server.shutdown(),
});

for (const signal of ["SIGINT", "SIGTERM"] as const) {
  Deno.addSignalListener(signal, async () => {
    await launched.stop();
    await runtime.close?.();
    Deno.exit(0);
  });
}
