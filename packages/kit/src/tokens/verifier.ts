import {
  createLocalJWKSet,
  errors,
  type JSONWebKeySet,
  type JWSHeaderParameters,
  type JWTPayload,
  jwtVerify,
  type CryptoKey as VerificationKey,
} from "jose";
import { type RevokedSessions, SESSION_ID_CLAIM } from "./revoked-sessions.ts";
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
  /** Most verified tokens remembered (each until its exp); default 10 000, 0 turns it off. */
  cacheSize?: number;
  /** The sessions whose tokens are refused though still unexpired (logout, reuse, password change). */
  revokedSessions?: RevokedSessions;
  /** The clock, in ms (tests). */
  now?: () => number;
}): AccessTokenVerifier {
  const now = opts.now ?? Date.now;
  const resolveKey =
    typeof opts.jwks === "function"
      ? fetchedKeys(opts.jwks, opts.refetchCooldownMs ?? 30_000, now)
      : localKeys(opts.jwks);

  const verified = createVerifiedTokens(opts.cacheSize ?? 10_000);

  async function refuseRevoked(result: { subject: string; claims: JWTPayload }) {
    const sessionId = result.claims[SESSION_ID_CLAIM];
    if (typeof sessionId === "string" && (await opts.revokedSessions?.isRevoked(sessionId))) {
      throw new TokenError("revoked");
    }
    return result;
  }

  return {
    async verify(token) {
      const known = verified.get(token, now());
      if (known !== undefined) return refuseRevoked(known);
      try {
        const { payload } = await jwtVerify(token, resolveKey, {
          issuer: opts.issuer,
          algorithms: [...accessTokenAlgorithms],
          requiredClaims: ["exp", "sub"],
          clockTolerance: 5,
          currentDate: opts.now === undefined ? undefined : new Date(opts.now()),
        });
        if (!payload.sub) throw new TokenError("invalid");
        const result = { subject: payload.sub, claims: payload };
        // requiredClaims guarantees exp; past it (tolerance aside) the token is verified again, and fails.
        verified.set(token, result, (payload.exp as number) * 1000);
        return await refuseRevoked(result);
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
function fetchedKeys(
  fetchKeys: () => Promise<JSONWebKeySet>,
  cooldownMs: number,
  now: () => number,
): KeyResolver {
  let keys: ReturnType<typeof createLocalJWKSet> | undefined;
  let fetchedAt = Number.NEGATIVE_INFINITY;
  let failedAt = Number.NEGATIVE_INFINITY;
  let fetching: Promise<ReturnType<typeof createLocalJWKSet>> | undefined;

  function refetch(): Promise<ReturnType<typeof createLocalJWKSet>> {
    // While the key source is down, fail fast instead of asking it on every request.
    if (now() - failedAt < failureBackoffMs) return Promise.reject(new KeySetUnavailable());
    fetching ??= (async () => {
      try {
        const fresh = createLocalJWKSet(await fetchKeys());
        keys = fresh;
        return fresh;
      } catch (error) {
        failedAt = now();
        throw new KeySetUnavailable({ cause: error });
      } finally {
        fetchedAt = now();
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
      if (!unknownKid || now() - fetchedAt < cooldownMs) throw error;
      return (await refetch())(header);
    }
  };
}

interface VerifiedToken {
  result: { subject: string; claims: JWTPayload };
  expiresAt: number;
}

/**
 * Tokens that passed verification, each until its exp: a token is verified once per process
 * while valid. Bounded: past `max` entries the least recently used goes (a Map keeps insertion
 * order; a hit moves its entry to the end). Failures are not remembered.
 */
function createVerifiedTokens(max: number) {
  const entries = new Map<string, VerifiedToken>();
  return {
    get(token: string, now: number): VerifiedToken["result"] | undefined {
      const entry = entries.get(token);
      if (entry === undefined) return undefined;
      entries.delete(token);
      if (entry.expiresAt <= now) return undefined;
      entries.set(token, entry);
      return entry.result;
    },
    set(token: string, result: VerifiedToken["result"], expiresAt: number): void {
      if (max <= 0) return;
      entries.delete(token);
      entries.set(token, { result, expiresAt });
      if (entries.size > max) entries.delete(entries.keys().next().value as string);
    },
  };
}
