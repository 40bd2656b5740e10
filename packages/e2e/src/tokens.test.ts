import {
  decodeJwt,
  decodeProtectedHeader,
  exportSPKI,
  generateKeyPair,
  importJWK,
  type JWK,
  SignJWT,
} from "jose";
import { beforeAll, describe, expect, inject, it } from "vitest";
import { newPerson, type Person } from "./people.ts";
import { expectProblem } from "./problems.ts";
import { gateway } from "./stack.ts";

function base64url(value: unknown): string {
  return Buffer.from(JSON.stringify(value)).toString("base64url");
}

describe("access tokens", () => {
  const api = gateway();
  let person: Person;
  let publicJwk: JWK;
  beforeAll(async () => {
    person = await newPerson(api, { prefix: "tok" });
    const jwks = await api.jwks();
    const kid = decodeProtectedHeader(person.tokens.accessToken).kid;
    const key = jwks.body.keys.find((k) => k.kid === kid);
    if (!key) throw new Error(`no JWKS key for kid ${kid}`);
    publicJwk = key as JWK;
  });

  /** Signs the person's claims (with changes) with auth-service's real private key. */
  async function signWithRealKey(claims: Record<string, unknown>): Promise<string> {
    const privateJwk = JSON.parse(inject("signingKey")) as JWK;
    const header = decodeProtectedHeader(person.tokens.accessToken);
    const key = await importJWK(privateJwk, "EdDSA");
    return new SignJWT({ ...decodeJwt(person.tokens.accessToken), ...claims })
      .setProtectedHeader({ alg: "EdDSA", kid: header.kid, typ: header.typ })
      .sign(key);
  }

  it("accepts a token signed with the real key (the control for the cases below)", async () => {
    const now = Math.floor(Date.now() / 1000);
    const token = await signWithRealKey({ iat: now, exp: now + 60 });
    const reply = await api.as(token).account();
    expect(reply.status, reply.text).toBe(200);
    expect(reply.body.id).toBe(person.id);
  });

  it("rejects a missing or malformed Authorization header", async () => {
    expectProblem(await api.account(), 401);
    expectProblem(await api.as("not-a-jwt").account(), 401);
    expectProblem(
      await api.call("GET", "/v1/accounts/me", { headers: { authorization: "Basic dTpw" } }),
      401,
    );
    expectProblem(await api.call("GET", "/v1/users/me", { headers: { authorization: "Bearer" } }), 401);
  });

  it("rejects an expired token even when the signature is genuine", async () => {
    const now = Math.floor(Date.now() / 1000);
    const token = await signWithRealKey({ iat: now - 3600, exp: now - 60 });
    expectProblem(await api.as(token).account(), 401);
    expectProblem(await api.as(token).me(), 401);
  });

  it("rejects a tampered token", async () => {
    const other = await newPerson(api, { prefix: "tok2" });
    const [header, , signature] = person.tokens.accessToken.split(".");
    const claims = { ...decodeJwt(person.tokens.accessToken), sub: other.id };
    const forged = `${header}.${base64url(claims)}.${signature}`;
    expectProblem(await api.as(forged).account(), 401);
    expectProblem(await api.as(forged).me(), 401);
    const flipped = `${person.tokens.accessToken.slice(0, -4)}${person.tokens.accessToken.endsWith("AAAA") ? "BBBB" : "AAAA"}`;
    expectProblem(await api.as(flipped).account(), 401);
  });

  it('rejects alg "none"', async () => {
    const claims = decodeJwt(person.tokens.accessToken);
    for (const alg of ["none", "None", "NONE"]) {
      const unsigned = `${base64url({ alg, typ: "JWT" })}.${base64url(claims)}.`;
      expectProblem(await api.as(unsigned).account(), 401);
      expectProblem(await api.as(unsigned).me(), 401);
    }
  });

  it("rejects HS256 tokens keyed with the published public key", async () => {
    const claims = decodeJwt(person.tokens.accessToken);
    const publicKey = await importJWK(publicJwk, "EdDSA");
    const secrets: Uint8Array[] = [
      new TextEncoder().encode(JSON.stringify(publicJwk)),
      new TextEncoder().encode(await exportSPKI(publicKey as CryptoKey)),
      Buffer.from(String(publicJwk.x), "base64url"),
      new TextEncoder().encode(String(publicJwk.x)),
    ];
    for (const secret of secrets) {
      const token = await new SignJWT(claims)
        .setProtectedHeader({ alg: "HS256", kid: publicJwk.kid, typ: "JWT" })
        .sign(secret);
      expectProblem(await api.as(token).account(), 401);
      expectProblem(await api.as(token).me(), 401);
    }
  });

  it("rejects a token signed by another Ed25519 key under the real key id", async () => {
    const { privateKey } = await generateKeyPair("EdDSA", { crv: "Ed25519" });
    const now = Math.floor(Date.now() / 1000);
    const token = await new SignJWT({ ...decodeJwt(person.tokens.accessToken), iat: now, exp: now + 60 })
      .setProtectedHeader({ alg: "EdDSA", kid: publicJwk.kid })
      .sign(privateKey);
    expectProblem(await api.as(token).account(), 401);
  });
});
