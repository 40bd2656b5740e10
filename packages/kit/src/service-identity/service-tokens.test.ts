import { SignJWT } from "jose";
import { describe, expect, it } from "vitest";
import { createTestTokens } from "../testing.ts";
import { generateServiceKey, serviceKeyBytes } from "./service-key.ts";
import {
  createServiceTokenSigner,
  createServiceTokenVerifier,
  SERVICE_TOKEN_AUDIENCE,
  ServiceTokenRefused,
} from "./service-tokens.ts";

const key = serviceKeyBytes(generateServiceKey()) as Uint8Array;
const otherKey = serviceKeyBytes(generateServiceKey()) as Uint8Array;

function clock(startMs = Date.UTC(2030, 0, 1)) {
  let at = startMs;
  return { now: () => at, advance: (seconds: number) => (at += seconds * 1000) };
}

async function refusal(promise: Promise<unknown>): Promise<string> {
  const error = await promise.then(
    () => undefined,
    (caught: unknown) => caught,
  );
  expect(error).toBeInstanceOf(ServiceTokenRefused);
  return (error as Error).message;
}

describe("service keys", () => {
  it("reads base64 and base64url of at least 32 bytes, nothing shorter or else", () => {
    const text = generateServiceKey();
    expect(serviceKeyBytes(text)).toHaveLength(32);
    expect(serviceKeyBytes(Buffer.from(serviceKeyBytes(text) as Uint8Array).toString("base64"))).toEqual(
      serviceKeyBytes(text),
    );
    expect(serviceKeyBytes(Buffer.alloc(31, 7).toString("base64"))).toBeUndefined();
    expect(serviceKeyBytes("not a key at all, with spaces and more than enough letters")).toBeUndefined();
  });
});

describe("service token signer", () => {
  it("signs once and reuses the token until it nears its expiry", async () => {
    const time = clock();
    const signer = createServiceTokenSigner({ key, service: "gateway", now: time.now });
    const first = await signer.token();
    time.advance(40);
    expect(await signer.token()).toBe(first);
    time.advance(6); // 14 s left, under a quarter of 60 s
    const renewed = await signer.token();
    expect(renewed).not.toBe(first);
    const [a, b] = await Promise.all([signer.token(), signer.token()]);
    expect(a).toBe(renewed);
    expect(b).toBe(renewed);
  });
});

describe("service token verifier", () => {
  it("accepts a token of the deployment's key and names the calling service", async () => {
    const token = await createServiceTokenSigner({ key, service: "comment" }).token();
    expect(await createServiceTokenVerifier({ keys: [key] }).verify(token)).toBe("comment");
  });

  it("refuses a token signed with another key", async () => {
    const forged = await createServiceTokenSigner({ key: otherKey, service: "gateway" }).token();
    expect(await refusal(createServiceTokenVerifier({ keys: [key] }).verify(forged))).toBe(
      "invalid service token",
    );
  });

  it("accepts, during a rotation, tokens of the keys listed after its own, and still no others", async () => {
    const nextKey = serviceKeyBytes(generateServiceKey()) as Uint8Array;
    const rotating = createServiceTokenVerifier({ keys: [nextKey, key] });
    const old = await createServiceTokenSigner({ key, service: "image" }).token();
    const current = await createServiceTokenSigner({ key: nextKey, service: "user" }).token();
    expect(await rotating.verify(old)).toBe("image");
    expect(await rotating.verify(current)).toBe("user");
    const foreign = await createServiceTokenSigner({ key: otherKey, service: "gateway" }).token();
    expect(await refusal(rotating.verify(foreign))).toBe("invalid service token");
    // An expired token of an accepted key is refused as expired, not tried against the next key.
    const time = clock();
    const stale = await createServiceTokenSigner({ key, service: "auth", now: time.now }).token();
    time.advance(120);
    const later = createServiceTokenVerifier({ keys: [nextKey, key], now: time.now });
    expect(await refusal(later.verify(stale))).toBe("service token expired");
  });

  it("refuses an expired token, also one it accepted and remembered before", async () => {
    const time = clock();
    const token = await createServiceTokenSigner({ key, service: "user", now: time.now }).token();
    const verifier = createServiceTokenVerifier({ keys: [key], now: time.now });
    expect(await verifier.verify(token)).toBe("user");
    time.advance(66); // past exp and the 5 s tolerance
    expect(await refusal(verifier.verify(token))).toBe("service token expired");
  });

  it("refuses a token for another audience, or without one", async () => {
    const now = Math.floor(Date.now() / 1000);
    const signed = (audience?: string) => {
      const jwt = new SignJWT({})
        .setProtectedHeader({ alg: "HS256", typ: "service+jwt" })
        .setIssuer("gateway")
        .setSubject("gateway")
        .setIssuedAt(now)
        .setExpirationTime(now + 60);
      return (audience === undefined ? jwt : jwt.setAudience(audience)).sign(key);
    };
    const verifier = createServiceTokenVerifier({ keys: [key] });
    expect(await refusal(verifier.verify(await signed("instagram-clone")))).toBe("invalid service token");
    expect(await refusal(verifier.verify(await signed()))).toBe("invalid service token");
    expect(await verifier.verify(await signed(SERVICE_TOKEN_AUDIENCE))).toBe("gateway");
  });

  it("refuses a user's access token", async () => {
    const tokens = await createTestTokens();
    const access = await tokens.tokenFor("account-1", { aud: SERVICE_TOKEN_AUDIENCE });
    expect(await refusal(createServiceTokenVerifier({ keys: [key] }).verify(access))).toBe(
      "invalid service token",
    );
  });

  it("refuses a token whose issuer is not its subject", async () => {
    const now = Math.floor(Date.now() / 1000);
    const token = await new SignJWT({})
      .setProtectedHeader({ alg: "HS256", typ: "service+jwt" })
      .setIssuer("gateway")
      .setSubject("auth")
      .setAudience(SERVICE_TOKEN_AUDIENCE)
      .setExpirationTime(now + 60)
      .sign(key);
    expect(await refusal(createServiceTokenVerifier({ keys: [key] }).verify(token))).toBe(
      "invalid service token",
    );
  });
});
