import { type AccessTokenSigner, createServiceApp, type ServiceAppOptions } from "@instagram/kit";
import type { Hono } from "hono";

export type AppDeps = Omit<ServiceAppOptions, "name"> & { signer: AccessTokenSigner };

/** Connect routes + operations (from the kit) + the public JWKS document; fetch-only, no node:*. */
export function createApp({ signer, ...options }: AppDeps): Hono {
  const app = createServiceApp({ name: "auth", ...options });
  app.get("/.well-known/jwks.json", (c) => {
    c.header("Cache-Control", "public, max-age=300");
    return c.json(signer.jwks());
  });
  return app;
}
