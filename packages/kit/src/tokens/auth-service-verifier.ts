import type { InstanceTransports } from "../discovery/transport.ts";
import type { Discovery } from "../discovery/types.ts";
import { authServiceJwks, authServiceRevokedSessions } from "./auth-service-jwks.ts";
import { type AccessTokenVerifier, createAccessTokenVerifier } from "./verifier.ts";

/**
 * How a service other than auth verifies its callers' tokens: auth-service's JWKS and its revoked
 * sessions, both fetched through discovery (over the runtime's `instances` where it has them).
 */
export function authServiceVerifier(
  issuer: string,
  runtime: { discovery: Discovery; instances?: InstanceTransports },
): AccessTokenVerifier {
  const peer = { instances: runtime.instances };
  return createAccessTokenVerifier({
    issuer,
    jwks: authServiceJwks(runtime.discovery, peer),
    revokedSessions: authServiceRevokedSessions(runtime.discovery, peer),
  });
}
