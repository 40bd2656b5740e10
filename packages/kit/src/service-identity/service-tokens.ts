import { errors, type JWTPayload, jwtVerify, SignJWT } from "jose";

/** The header a calling service puts its token in (never a user's Authorization). */
export const SERVICE_TOKEN_HEADER = "x-service-token";
/** The audience of service tokens: no access token (audience-less, EdDSA) passes for one. */
export const SERVICE_TOKEN_AUDIENCE = "instagram-services";
const algorithm = "HS256";
const type = "service+jwt";

export interface ServiceTokenSigner {
  /** The calling service's current token: signed once, reused until it nears its expiry. */
  token(): Promise<string>;
}

export interface ServiceTokenVerifier {
  /** The calling service's name; throws ServiceTokenRefused for a bad, expired or foreign token. */
  verify(token: string): Promise<string>;
}

/** Why a service token was not accepted. The message is safe to show. */
export class ServiceTokenRefused extends Error {
  override name = "ServiceTokenRefused";
}

export function createServiceTokenSigner(opts: {
  key: Uint8Array;
  /** The calling service: the token's issuer and subject. */
  service: string;
  /** Lifetime of one token; default 60 s. */
  ttlSeconds?: number;
  /** A new token is signed when the current one has less left than this; default a quarter of the ttl. */
  renewBeforeSeconds?: number;
  now?: () => number;
}): ServiceTokenSigner {
  const ttl = opts.ttlSeconds ?? 60;
  const renewBeforeMs = (opts.renewBeforeSeconds ?? ttl / 4) * 1000;
  const now = opts.now ?? Date.now;
  let current: { token: string; expiresAt: number } | undefined;
  let signing: Promise<string> | undefined;

  async function sign(): Promise<string> {
    const issuedAt = Math.floor(now() / 1000);
    const token = await new SignJWT({})
      .setProtectedHeader({ alg: algorithm, typ: type })
      .setIssuer(opts.service)
      .setSubject(opts.service)
      .setAudience(SERVICE_TOKEN_AUDIENCE)
      .setIssuedAt(issuedAt)
      .setExpirationTime(issuedAt + ttl)
      .sign(opts.key);
    current = { token, expiresAt: (issuedAt + ttl) * 1000 };
    return token;
  }

  return {
    token() {
      if (current !== undefined && current.expiresAt - now() > renewBeforeMs) {
        return Promise.resolve(current.token);
      }
      signing ??= sign().finally(() => {
        signing = undefined;
      });
      return signing;
    },
  };
}

/**
 * Verifies service tokens signed with the deployment's key. A token that passed is remembered
 * until its exp (a few per calling service and minute, bounded by `cacheSize`), so the HMAC runs
 * once per token and process, not per call. Failures are not remembered.
 */
export function createServiceTokenVerifier(opts: {
  /** The deployment's key first, then any accepted during a rotation. */
  keys: Uint8Array[];
  /** Most tokens remembered; default 1000. */
  cacheSize?: number;
  now?: () => number;
}): ServiceTokenVerifier {
  const now = opts.now ?? Date.now;
  const max = opts.cacheSize ?? 1000;
  const verified = new Map<string, { service: string; expiresAt: number }>();

  return {
    async verify(token) {
      const known = verified.get(token);
      if (known !== undefined) {
        if (known.expiresAt > now()) return known.service;
        verified.delete(token);
      }
      try {
        const payload = await verifiedWithAnyOf(opts.keys, token, new Date(now()));
        const service = payload.sub as string;
        if (payload.iss !== service) throw new ServiceTokenRefused("invalid service token");
        if (verified.size >= max) verified.delete(verified.keys().next().value as string);
        verified.set(token, { service, expiresAt: (payload.exp as number) * 1000 });
        return service;
      } catch (error) {
        if (error instanceof ServiceTokenRefused) throw error;
        if (error instanceof errors.JWTExpired) {
          throw new ServiceTokenRefused("service token expired", { cause: error });
        }
        throw new ServiceTokenRefused("invalid service token", { cause: error });
      }
    },
  };
}

/** The token's claims, checked with the first of `keys` whose signature matches. */
async function verifiedWithAnyOf(keys: Uint8Array[], token: string, currentDate: Date): Promise<JWTPayload> {
  for (const [index, key] of keys.entries()) {
    try {
      const { payload } = await jwtVerify(token, key, {
        algorithms: [algorithm],
        typ: type,
        audience: SERVICE_TOKEN_AUDIENCE,
        requiredClaims: ["exp", "iss", "sub"],
        clockTolerance: 5,
        currentDate,
      });
      return payload;
    } catch (error) {
      // Another key may have signed it; any other fault is the token's own.
      if (!(error instanceof errors.JWSSignatureVerificationFailed) || index === keys.length - 1) throw error;
    }
  }
  throw new ServiceTokenRefused("no service key is configured");
}
