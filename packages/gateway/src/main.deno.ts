// Deno entry: the same module served by Deno.serve (Connect + gRPC-web; real gRPC needs Node's h2).
// Run from the repo root: deno run -A --conditions=@instagram/source packages/gateway/src/main.deno.ts
// Node-only parts step aside by themselves: uploads go to image-service through fetch (the Node
// upload relay answers only for requests that came through @hono/node-server), and the client
// address is Deno.serve's remote address. The HTTP_* timeouts and METRICS_PORT are Node's listener's.
import { runDenoServiceMain } from "@instagram/kit";
import { createRuntimeFromEnv } from "@instagram/kit/node";
import { createGatewayService, loadGatewayEnv } from "./service.ts";

await runDenoServiceMain({
  name: "gateway",
  loadEnv: loadGatewayEnv,
  createModule: createGatewayService,
  // It neither publishes nor consumes events: no KAFKA_BROKERS needed.
  createRuntime: (env, service) => createRuntimeFromEnv(env, service, { events: false }),
});
