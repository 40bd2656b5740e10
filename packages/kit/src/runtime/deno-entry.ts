import type { CommonEnv } from "../config/common-env.ts";
import { ConfigError, type Environment } from "../config/parse-env.ts";
import type { FetchApp } from "../server/fetch-app.ts";
import { launchModule } from "./launch-module.ts";
import type { ServiceModule, ServiceRuntime } from "./types.ts";

/** The part of Deno's global this entry uses (the repository is typechecked without Deno's types). */
export interface DenoHost {
  env: { toObject(): Record<string, string> };
  serve(
    options: { hostname: string; port: number; onListen: () => void },
    /** `info`: Deno's ServeHandlerInfo (remoteAddr), handed to the app as its env (Hono's c.env). */
    handler: (request: Request, info: unknown) => Response | Promise<Response>,
  ): { addr: { port: number }; shutdown(): Promise<void> };
  addSignalListener(signal: "SIGINT" | "SIGTERM", listener: () => void): void;
  exit(code: number): never;
}

export interface DenoServiceMain<E extends CommonEnv> {
  name: string;
  loadEnv: (source: Environment) => E;
  createModule: (env: E) => ServiceModule;
  /** createRuntimeFromEnv from "@instagram/kit/node" (Deno runs it through its node: compatibility). */
  createRuntime: (env: E, service: string) => Promise<ServiceRuntime>;
  /** Default: the global Deno. */
  deno?: DenoHost;
}

/**
 * The whole Deno entry of one service (its src/main.deno.ts): the same module served by Deno.serve
 * (Connect + gRPC-web; real gRPC needs Node's HTTP/2). Answers 503 until the module has started;
 * on SIGINT/SIGTERM stops the service, closes the runtime and exits 0. A ConfigError prints its
 * message (no stack) and exits 1.
 */
export async function runDenoServiceMain<E extends CommonEnv>(main: DenoServiceMain<E>): Promise<void> {
  const deno = main.deno ?? (globalThis as unknown as { Deno: DenoHost }).Deno;
  let env: E;
  let runtime: ServiceRuntime;
  try {
    env = main.loadEnv(deno.env.toObject());
    runtime = await main.createRuntime(env, main.name);
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    console.error(error.message);
    return deno.exit(1);
  }
  let app: FetchApp | undefined;
  const server = deno.serve({ hostname: env.HOST, port: env.PORT, onListen: () => {} }, (request, info) =>
    app ? app.fetch(request, info) : new Response("starting", { status: 503 }),
  );
  const launched = await launchModule(main.createModule(env), runtime, {
    url: `http://${env.ADVERTISE_HOST ?? env.HOST}:${server.addr.port}`,
    listening: `${env.HOST}:${server.addr.port}`,
    serve: (started) => {
      app = started.app;
    },
    close: () => server.shutdown(),
  });
  for (const signal of ["SIGINT", "SIGTERM"] as const) {
    deno.addSignalListener(signal, async () => {
      await launched.stop();
      await runtime.close?.();
      deno.exit(0);
    });
  }
}
