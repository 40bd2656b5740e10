import {
  calculateJwkThumbprint,
  exportJWK,
  generateKeyPair,
  importJWK,
  type JSONWebKeySet,
  type JWK,
  SignJWT,
} from "jose";

export interface AccessTokenSigner {
  sign(subject: string, claims?: Record<string, unknown>): Promise<{ token: string; expiresIn: number }>;
  /** The public keys only, to publish as a JWK Set. */
  jwks(): JSONWebKeySet;
}

/** Algorithms a token may be signed with; everything else (none, HS*, RS*) is refused. */
export const accessTokenAlgorithms = ["EdDSA", "ES256"] as const;

const privateMembers = ["d", "p", "q", "dp", "dq", "qi", "k", "oth"] as const;

/** A new Ed25519 private key as a JWK (keep it secret; the public half is derived from it). */
export async function generateSigningKey(): Promise<JWK> {
  const { privateKey } = await generateKeyPair("Ed25519", { extractable: true });
  return exportJWK(privateKey);
}

export async function createAccessTokenSigner(opts: {
  privateJwk: JWK;
  issuer: string;
  ttlSeconds: number;
}): Promise<AccessTokenSigner> {
  const alg = algorithmOf(opts.privateJwk);
  const key = await importJWK(opts.privateJwk, alg);
  const publicJwk: JWK = { ...opts.privateJwk };
  for (const member of privateMembers) delete publicJwk[member];
  delete publicJwk.key_ops;
  delete publicJwk.ext;
  const kid = await calculateJwkThumbprint(publicJwk);
  const published: JWK = { ...publicJwk, kid, alg, use: "sig" };

  return {
    async sign(subject, claims = {}) {
      const now = Math.floor(Date.now() / 1000);
      const token = await new SignJWT(claims)
        .setProtectedHeader({ alg, kid, typ: "JWT" })
        .setIssuer(opts.issuer)
        .setSubject(subject)
        .setIssuedAt(now)
        .setExpirationTime(now + opts.ttlSeconds)
        .setJti(crypto.randomUUID())
        .sign(key);
      return { token, expiresIn: opts.ttlSeconds };
    },
    jwks: () => ({ keys: [{ ...published }] }),
  };
}

function algorithmOf(jwk: JWK): (typeof accessTokenAlgorithms)[number] {
  if (typeof jwk.d !== "string") throw new Error("the signing key must be a private JWK (it has no 'd')");
  if (jwk.kty === "OKP" && jwk.crv === "Ed25519") return "EdDSA";
  if (jwk.kty === "EC" && jwk.crv === "P-256") return "ES256";
  throw new Error(`unsupported signing key: kty ${jwk.kty} crv ${jwk.crv}; expected Ed25519 or P-256`);
}
