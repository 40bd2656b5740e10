import { type ConnectRouter, createConnectRouter, type Interceptor } from "@connectrpc/connect";
import {
  universalServerRequestFromFetch,
  universalServerResponseToFetch,
} from "@connectrpc/connect/protocol";
import type { Env, Hono, Schema } from "hono";

export const defaultMaxBodyBytes = 4 * 1024 * 1024;

/**
 * Serves the Connect and gRPC-web protocols of `routes` through the fetch API, so they work on any
 * fetch runtime (Node via @hono/node-server, Deno.serve, …). Real gRPC needs HTTP/2 trailers: on Node
 * serveNode serves the same routes with connectNodeAdapter. Returns the procedure paths it mounted.
 */
export function mountConnectRoutes<E extends Env, S extends Schema, P extends string>(
  app: Hono<E, S, P>,
  opts: { routes: (router: ConnectRouter) => void; interceptors?: Interceptor[]; maxBodyBytes?: number },
): Set<string> {
  const router = createConnectRouter({
    interceptors: opts.interceptors ?? [],
    readMaxBytes: opts.maxBodyBytes ?? defaultMaxBodyBytes,
  });
  opts.routes(router);
  const paths = new Set<string>();
  for (const handler of router.handlers) {
    paths.add(handler.requestPath);
    app.on(handler.allowedMethods, handler.requestPath, async (c) => {
      const response = await handler(universalServerRequestFromFetch(c.req.raw, {}));
      return universalServerResponseToFetch(response);
    });
  }
  return paths;
}
