import {
  createLocalJWKSet,
  errors,
  type JSONWebKeySet,
  type JWSHeaderParameters,
  type JWTPayload,
  jwtVerify,
  type CryptoKey as VerificationKey,
} from "jose";
import { accessTokenAlgorithms } from "./signer.ts";
import { KeySetUnavailable, TokenError } from "./token-error.ts";

export interface AccessTokenVerifier {
  /** Throws TokenError for a bad token, KeySetUnavailable when the keys cannot be fetched. */
  verify(token: string): Promise<{ subject: string; claims: JWTPayload }>;
}

const failureBackoffMs = 1_000;

// jose's CryptoKey, not the global one: under Deno the global is Deno's while jose's typings see Node's.
type KeyResolver = (header: JWSHeaderParameters) => Promise<VerificationKey>;

export function createAccessTokenVerifier(opts: {
  issuer: string;
  /** A key set, or how to fetch it (then cached, and refetched when a token names an unknown kid). */
  jwks: JSONWebKeySet | (() => Promise<JSONWebKeySet>);
  /** Least time between two fetches of the key set; default 30 s. */
  refetchCooldownMs?: number;
}): AccessTokenVerifier {
  const resolveKey =
    typeof opts.jwks === "function"
      ? fetchedKeys(opts.jwks, opts.refetchCooldownMs ?? 30_000)
      : localKeys(opts.jwks);

  return {
    async verify(token) {
      try {
        const { payload } = await jwtVerify(token, resolveKey, {
          issuer: opts.issuer,
          algorithms: [...accessTokenAlgorithms],
          requiredClaims: ["exp", "sub"],
          clockTolerance: 5,
        });
        if (!payload.sub) throw new TokenError("invalid");
        return { subject: payload.sub, claims: payload };
      } catch (error) {
        if (error instanceof TokenError || error instanceof KeySetUnavailable) throw error;
        if (error instanceof errors.JWTExpired) throw new TokenError("expired", { cause: error });
        throw new TokenError("invalid", { cause: error });
      }
    },
  };
}

function localKeys(jwks: JSONWebKeySet): KeyResolver {
  const keys = createLocalJWKSet(jwks);
  return (header) => keys(header);
}

/** Lazily fetched key set; an unknown kid triggers a refetch, at most once per cooldown. */
function fetchedKeys(fetchKeys: () => Promise<JSONWebKeySet>, cooldownMs: number): KeyResolver {
  let keys: ReturnType<typeof createLocalJWKSet> | undefined;
  let fetchedAt = Number.NEGATIVE_INFINITY;
  let failedAt = Number.NEGATIVE_INFINITY;
  let fetching: Promise<ReturnType<typeof createLocalJWKSet>> | undefined;

  function refetch(): Promise<ReturnType<typeof createLocalJWKSet>> {
    // While the key source is down, fail fast instead of asking it on every request.
    if (Date.now() - failedAt < failureBackoffMs) return Promise.reject(new KeySetUnavailable());
    fetching ??= (async () => {
      try {
        const fresh = createLocalJWKSet(await fetchKeys());
        keys = fresh;
        return fresh;
      } catch (error) {
        failedAt = Date.now();
        throw new KeySetUnavailable({ cause: error });
      } finally {
        fetchedAt = Date.now();
        fetching = undefined;
      }
    })();
    return fetching;
  }

  return async (header) => {
    const current = keys ?? (await refetch());
    try {
      return await current(header);
    } catch (error) {
      const unknownKid = error instanceof errors.JWKSNoMatchingKey;
      if (!unknownKid || Date.now() - fetchedAt < cooldownMs) throw error;
      return (await refetch())(header);
    }
  };
}
