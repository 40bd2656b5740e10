import { calculateJwkThumbprint, exportJWK, generateKeyPair, type JWK, jwtVerify, SignJWT } from "jose";

export const issuer = "instagram-clone";

/** An Ed25519 signing key like auth-service's, for issuing (and forging) tokens in tests. */
export interface TokenKeys {
  publicJwk: JWK;
  kid: string;
  sign(subject: string, opts?: { expiresInSeconds?: number; issuer?: string }): Promise<string>;
  /** The subject of a token this key signed; throws otherwise. */
  subjectOf(token: string): Promise<string>;
}

export async function createTokenKeys(): Promise<TokenKeys> {
  const { privateKey, publicKey } = await generateKeyPair("EdDSA", { crv: "Ed25519", extractable: true });
  const jwk = await exportJWK(publicKey);
  const kid = await calculateJwkThumbprint(jwk);
  const publicJwk: JWK = { ...jwk, kid, alg: "EdDSA", use: "sig" };
  return {
    publicJwk,
    kid,
    async sign(subject, opts = {}) {
      const now = Math.floor(Date.now() / 1000);
      return new SignJWT({})
        .setProtectedHeader({ alg: "EdDSA", kid, typ: "JWT" })
        .setSubject(subject)
        .setIssuer(opts.issuer ?? issuer)
        .setIssuedAt(now)
        .setExpirationTime(now + (opts.expiresInSeconds ?? 900))
        .sign(privateKey);
    },
    async subjectOf(token) {
      const { payload } = await jwtVerify(token, publicKey, { issuer, algorithms: ["EdDSA"] });
      if (!payload.sub) throw new Error("no subject");
      return payload.sub;
    },
  };
}
