import { base64url, decodeProtectedHeader, errors, type JSONWebKeySet, SignJWT } from "jose";
import { describe, expect, it } from "vitest";
import { createAccessTokenSigner, generateSigningKey } from "./signer.ts";
import { KeySetUnavailable, TokenError } from "./token-error.ts";
import { createAccessTokenVerifier } from "./verifier.ts";

const issuer = "instagram-clone";

async function signerAndVerifier(ttlSeconds = 900) {
  const privateJwk = await generateSigningKey();
  const signer = await createAccessTokenSigner({ privateJwk, issuer, ttlSeconds });
  const verifier = createAccessTokenVerifier({ issuer, jwks: signer.jwks() });
  return { privateJwk, signer, verifier };
}

async function refusal(promise: Promise<unknown>): Promise<unknown> {
  return promise.then(
    () => undefined,
    (error: unknown) => error,
  );
}

describe("access tokens", () => {
  it("signs EdDSA tokens with the key thumbprint as kid, and verifies them", async () => {
    const { privateJwk, signer, verifier } = await signerAndVerifier();
    const { token, expiresIn } = await signer.sign("account-1", { scope: "user" });
    expect(expiresIn).toBe(900);
    const header = decodeProtectedHeader(token);
    expect(header.alg).toBe("EdDSA");
    expect(header.kid).toBe(signer.jwks().keys[0]?.kid);

    const { subject, claims } = await verifier.verify(token);
    expect(subject).toBe("account-1");
    expect(claims).toMatchObject({ iss: issuer, sub: "account-1", scope: "user" });
    expect((claims.exp ?? 0) - (claims.iat ?? 0)).toBe(900);
    expect(privateJwk.d).toEqual(expect.any(String));
  });

  it("publishes only public key material", async () => {
    const { signer } = await signerAndVerifier();
    const [key, ...rest] = signer.jwks().keys;
    expect(rest).toHaveLength(0);
    expect(key).toMatchObject({ kty: "OKP", crv: "Ed25519", alg: "EdDSA", use: "sig" });
    expect(key).not.toHaveProperty("d");
  });

  it("refuses expired tokens", async () => {
    const { signer, verifier } = await signerAndVerifier(-60);
    const { token } = await signer.sign("account-1");
    const error = await refusal(verifier.verify(token));
    expect(error).toBeInstanceOf(TokenError);
    expect((error as TokenError).reason).toBe("expired");
  });

  it("refuses tampered tokens and tokens of another issuer or key", async () => {
    const { signer, verifier } = await signerAndVerifier();
    const { token } = await signer.sign("account-1");
    const [header, payload, signature] = token.split(".") as [string, string, string];
    const claims = JSON.parse(new TextDecoder().decode(base64url.decode(payload)));
    const forged = base64url.encode(JSON.stringify({ ...claims, sub: "account-2" }));
    expect(await refusal(verifier.verify(`${header}.${forged}.${signature}`))).toBeInstanceOf(TokenError);
    expect(await refusal(verifier.verify("not-a-token"))).toBeInstanceOf(TokenError);

    const other = await signerAndVerifier();
    const foreign = await other.signer.sign("account-1");
    expect(await refusal(verifier.verify(foreign.token))).toBeInstanceOf(TokenError);

    const elsewhere = await createAccessTokenSigner({
      privateJwk: other.privateJwk,
      issuer: "evil",
      ttlSeconds: 60,
    });
    const wrongIssuer = await elsewhere.sign("account-1");
    expect(await refusal(other.verifier.verify(wrongIssuer.token))).toBeInstanceOf(TokenError);
  });

  it('refuses alg "none"', async () => {
    const { signer, verifier } = await signerAndVerifier();
    const kid = signer.jwks().keys[0]?.kid;
    const now = Math.floor(Date.now() / 1000);
    const header = base64url.encode(JSON.stringify({ alg: "none", typ: "JWT", kid }));
    const payload = base64url.encode(JSON.stringify({ iss: issuer, sub: "admin", iat: now, exp: now + 600 }));
    const error = await refusal(verifier.verify(`${header}.${payload}.`));
    expect(error).toBeInstanceOf(TokenError);
    expect((error as TokenError).cause).toBeInstanceOf(errors.JOSEAlgNotAllowed);
  });

  it("refuses HS256 tokens keyed with the public key (algorithm confusion)", async () => {
    const { signer, verifier } = await signerAndVerifier();
    const publicJwk = signer.jwks().keys[0]!;
    const now = Math.floor(Date.now() / 1000);
    for (const secret of [JSON.stringify(publicJwk), publicJwk.x ?? ""]) {
      const token = await new SignJWT({})
        .setProtectedHeader({ alg: "HS256", kid: publicJwk.kid })
        .setIssuer(issuer)
        .setSubject("admin")
        .setIssuedAt(now)
        .setExpirationTime(now + 600)
        .sign(new TextEncoder().encode(secret));
      const error = await refusal(verifier.verify(token));
      expect(error).toBeInstanceOf(TokenError);
      expect((error as TokenError).cause).toBeInstanceOf(errors.JOSEAlgNotAllowed);
    }
  });

  it("fetches the key set lazily, caches it, and refetches on an unknown kid at most once per cooldown", async () => {
    const first = await signerAndVerifier();
    const second = await signerAndVerifier();
    let published: JSONWebKeySet = first.signer.jwks();
    let fetches = 0;
    const verifier = createAccessTokenVerifier({
      issuer,
      jwks: async () => {
        fetches++;
        return published;
      },
      refetchCooldownMs: 60_000,
    });
    expect(fetches).toBe(0);

    const one = await first.signer.sign("account-1");
    await verifier.verify(one.token);
    await verifier.verify(one.token);
    expect(fetches).toBe(1);

    // A rotated key right after the last fetch: within the cooldown no refetch happens.
    published = { keys: [...first.signer.jwks().keys, ...second.signer.jwks().keys] };
    const two = await second.signer.sign("account-2");
    expect(await refusal(verifier.verify(two.token))).toBeInstanceOf(TokenError);
    expect(fetches).toBe(1);

    const eager = createAccessTokenVerifier({
      issuer,
      jwks: async () => {
        fetches++;
        return published;
      },
      refetchCooldownMs: 0,
    });
    published = first.signer.jwks();
    await eager.verify(one.token);
    published = { keys: [...first.signer.jwks().keys, ...second.signer.jwks().keys] };
    await expect(eager.verify(two.token)).resolves.toMatchObject({ subject: "account-2" });
    expect(fetches).toBe(3);
  });

  it("reports an unreachable key source as KeySetUnavailable, not as a bad token", async () => {
    const { signer } = await signerAndVerifier();
    const verifier = createAccessTokenVerifier({
      issuer,
      jwks: async () => {
        throw new Error("connect ECONNREFUSED");
      },
    });
    const { token } = await signer.sign("account-1");
    expect(await refusal(verifier.verify(token))).toBeInstanceOf(KeySetUnavailable);
  });

  it("verifies a token once while it is valid, and never uses that past its exp", async () => {
    const { signer } = await signerAndVerifier(60);
    let now = Date.now();
    const verifier = createAccessTokenVerifier({ issuer, jwks: signer.jwks(), now: () => now });
    const { token } = await signer.sign("account-1");
    const first = await verifier.verify(token);
    expect(await verifier.verify(token)).toBe(first);

    now += 61_000; // past exp, within jose's 5 s tolerance: the cached answer must not be used
    expect(await verifier.verify(token)).not.toBe(first);
    now += 10_000;
    const error = await refusal(verifier.verify(token));
    expect(error).toBeInstanceOf(TokenError);
    expect((error as TokenError).reason).toBe("expired");
  });

  it("remembers at most cacheSize tokens, dropping the least recently used", async () => {
    const first = await signerAndVerifier();
    const second = await signerAndVerifier();
    let published: JSONWebKeySet = first.signer.jwks();
    const verifier = createAccessTokenVerifier({
      issuer,
      jwks: async () => published,
      refetchCooldownMs: 0,
      cacheSize: 3,
    });
    const [a, b, c] = await Promise.all(["a", "b", "c"].map((id) => first.signer.sign(id)));
    for (const signed of [a, b, a, c]) await verifier.verify(signed!.token);

    // The first key is withdrawn: only remembered tokens still pass. d takes b's place (least recent).
    published = second.signer.jwks();
    await verifier.verify((await second.signer.sign("d")).token);
    await expect(verifier.verify(a!.token)).resolves.toMatchObject({ subject: "a" });
    await expect(verifier.verify(c!.token)).resolves.toMatchObject({ subject: "c" });
    expect(await refusal(verifier.verify(b!.token))).toBeInstanceOf(TokenError);
  });

  it("does not remember a refusal", async () => {
    const { signer } = await signerAndVerifier();
    let up = false;
    let now = Date.now();
    const verifier = createAccessTokenVerifier({
      issuer,
      jwks: async () => {
        if (!up) throw new Error("connect ECONNREFUSED");
        return signer.jwks();
      },
      now: () => now,
    });
    const { token } = await signer.sign("account-1");
    expect(await refusal(verifier.verify(token))).toBeInstanceOf(KeySetUnavailable);
    up = true;
    now += 2_000; // past the 1 s backoff after a failed fetch
    await expect(verifier.verify(token)).resolves.toMatchObject({ subject: "account-1" });
  });
});
