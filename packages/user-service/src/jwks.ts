import type { createAccessTokenVerifier, Discovery } from "@instagram/kit";

type JSONWebKeySet = Exclude<Parameters<typeof createAccessTokenVerifier>[0]["jwks"], () => unknown>;

/**
 * The access-token keys, fetched from an auth-service instance found through discovery
 * (auth-service serves GET /.well-known/jwks.json). The kit's verifier caches them and calls
 * this again when a token names an unknown key id.
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
