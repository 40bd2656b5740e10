import { createClient } from "@connectrpc/connect";
import { AuthService } from "@instagram/contracts/auth";
import type { JSONWebKeySet } from "jose";
import { createServiceTransport, type InstanceTransports } from "../discovery/transport.ts";
import type { Discovery } from "../discovery/types.ts";

export interface AuthServiceJwksOptions {
  /** Deadline of one fetch (a second instance included); default 3 s. */
  timeoutMs?: number;
  /** The fetch to use (tests); default globalThis.fetch. */
  fetch?: typeof globalThis.fetch;
  /** How to reach one instance (the runtime's `instances`); default Connect over fetch. */
  instances?: InstanceTransports;
}

/**
 * The access-token keys, as `createAccessTokenVerifier({ jwks })` takes them: fetched with
 * AuthService.GetJwks from an auth-service instance found through `discovery` (another instance
 * is tried once when the first is unavailable). The verifier caches the set and calls this
 * again when a token names an unknown key id.
 */
export function authServiceJwks(
  discovery: Discovery,
  opts: AuthServiceJwksOptions = {},
): () => Promise<JSONWebKeySet> {
  const auth = createClient(
    AuthService,
    createServiceTransport({
      discovery,
      service: "auth",
      timeoutMs: opts.timeoutMs ?? 3_000,
      fetch: opts.fetch,
      instances: opts.instances,
    }),
  );
  return async () => {
    const { jwksJson } = await auth.getJwks({});
    const jwks: unknown = JSON.parse(jwksJson);
    if (!isKeySet(jwks)) throw new Error("auth-service answered GetJwks with no JWK Set");
    return jwks;
  };
}

function isKeySet(value: unknown): value is JSONWebKeySet {
  if (typeof value !== "object" || value === null) return false;
  const { keys } = value as { keys?: unknown };
  return Array.isArray(keys) && keys.every((key) => typeof key === "object" && key !== null);
}
