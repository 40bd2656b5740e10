import { timestampDate, timestampFromDate } from "@bufbuild/protobuf/wkt";
import { createClient } from "@connectrpc/connect";
import { AuthService } from "@instagram/contracts/auth";
import type { JSONWebKeySet } from "jose";
import { createServiceTransport, type InstanceTransports } from "../discovery/transport.ts";
import type { Discovery } from "../discovery/types.ts";
import { createRevokedSessions, type RevokedSessions } from "./revoked-sessions.ts";

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

/**
 * The revoked sessions, as `createAccessTokenVerifier({ revokedSessions })` takes them: polled with
 * AuthService.ListRevokedSessions (at most every `pollMs`, default 2 s) from an auth-service
 * instance found through `discovery`.
 */
export function authServiceRevokedSessions(
  discovery: Discovery,
  opts: AuthServiceJwksOptions & { pollMs?: number } = {},
): RevokedSessions {
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
  return createRevokedSessions({
    pollMs: opts.pollMs,
    async fetchSince(since) {
      const { sessions } = await auth.listRevokedSessions({ revokedAfter: timestampFromDate(since) });
      return sessions.map((session) => ({
        sessionId: session.sessionId,
        revokedAt: session.revokedAt === undefined ? since : timestampDate(session.revokedAt),
      }));
    },
  });
}
