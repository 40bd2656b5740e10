import type { Discovery } from "@instagram/kit";
import type { JSONWebKeySet } from "jose";

/**
 * The access-token keys, fetched from an auth-service instance found through discovery (auth-service
 * serves GET /.well-known/jwks.json); the kit's verifier caches them and refetches on an unknown kid.
 */
export function authServiceJwks(discovery: Discovery, timeoutMs = 3000): () => Promise<JSONWebKeySet> {
  return async () => {
    const urls = await discovery.resolve("auth");
    let lastError: unknown = new Error("no auth-service instance to fetch the JWKS from");
    for (const url of urls) {
      try {
        const response = await fetch(new URL("/.well-known/jwks.json", url), {
          signal: AbortSignal.timeout(timeoutMs),
        });
        if (!response.ok) throw new Error(`JWKS from ${url}: HTTP ${response.status}`);
        return (await response.json()) as JSONWebKeySet;
      } catch (error) {
        lastError = error;
      }
    }
    throw lastError;
  };
}
