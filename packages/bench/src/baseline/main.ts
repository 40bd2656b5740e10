// The baseline as its own Node process, like a service: `BASELINE_PORT`, `DATABASE_URL`,
// `JWKS_URL` (auth-service's key set, fetched once), `JWT_ISSUER`. Prints "ready <port>" once listening.
import { serve } from "@hono/node-server";
import type { JSONWebKeySet } from "jose";
import postgres from "postgres";
import { createBaselineApp } from "./app.ts";

const required = (name: string): string => {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is required`);
  return value;
};

const jwksResponse = await fetch(required("JWKS_URL"), { signal: AbortSignal.timeout(10_000) });
if (!jwksResponse.ok) throw new Error(`JWKS_URL answered ${jwksResponse.status}`);
const jwks = (await jwksResponse.json()) as JSONWebKeySet;
// The services' pool size (the kit's default), so neither side gets more connections.
const sql = postgres(required("DATABASE_URL"), { max: 10, onnotice: () => {} });
const app = createBaselineApp({ sql, jwks, issuer: process.env.JWT_ISSUER ?? "instagram-clone" });
const server = serve(
  { fetch: app.fetch, hostname: "127.0.0.1", port: Number(required("BASELINE_PORT")) },
  (info) => {
    process.stdout.write(`ready ${info.port}\n`);
  },
);

const shutdown = (): void => {
  server.close();
  void sql.end({ timeout: 2 }).finally(() => process.exit(0));
};
process.on("SIGTERM", shutdown);
process.on("SIGINT", shutdown);
