// Deno entry: the same module served by Deno.serve (Connect + gRPC-web; real gRPC needs Node's h2).
// Run from the repo root: deno run -A packages/auth-service/src/main.deno.ts
import { runDenoServiceMain } from "@instagram/kit";
import { createRuntimeFromEnv } from "@instagram/kit/node";
import { createAuthService, loadAuthEnv } from "./service.ts";

await runDenoServiceMain({
  name: "auth",
  loadEnv: loadAuthEnv,
  createModule: createAuthService,
  createRuntime: createRuntimeFromEnv,
});
