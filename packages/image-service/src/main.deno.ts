// Deno entry: the same module served by Deno.serve (Connect + gRPC-web; real gRPC needs Node's h2).
// Run from the repo root: deno run -A --conditions=@instagram/source packages/image-service/src/main.deno.ts
// sharp (libvips) loads through Deno's npm support: its prebuilt binary package from node_modules.
import { runDenoServiceMain } from "@instagram/kit";
import { createRuntimeFromEnv } from "@instagram/kit/node";
import { createImageService, loadImageEnv } from "./service.ts";

await runDenoServiceMain({
  name: "image",
  loadEnv: loadImageEnv,
  createModule: createImageService,
  createRuntime: createRuntimeFromEnv,
});
