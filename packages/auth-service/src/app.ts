import type { ConnectRouter, Interceptor } from "@connectrpc/connect";
import { type AccessTokenSigner, createServiceApp, type Logger } from "@instagram/kit";
import type { Hono } from "hono";

export interface AppDeps {
  routes: (router: ConnectRouter) => void;
  interceptors: Interceptor[];
  readiness: () => Promise<void>;
  signer: AccessTokenSigner;
  logger?: Logger;
}

/** Connect routes + operations (from the kit) + the public JWKS document. */
export function createApp(deps: AppDeps): Hono {
  const app = createServiceApp({
    name: "auth",
    routes: deps.routes,
    interceptors: deps.interceptors,
    readiness: deps.readiness,
    logger: deps.logger,
  });
  app.get("/.well-known/jwks.json", (c) => {
    c.header("Cache-Control", "public, max-age=300");
    return c.json(deps.signer.jwks());
  });
  return app;
}
