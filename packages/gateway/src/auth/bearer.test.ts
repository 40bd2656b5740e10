import { base64url, exportSPKI, generateKeyPair, importJWK, SignJWT } from "jose";
import { describe, expect, it } from "vitest";
import { createTestbed, problemOf } from "../testing/testbed.ts";
import { issuer } from "../testing/token-keys.ts";

function encodeJson(value: unknown): string {
  return base64url.encode(JSON.stringify(value));
}

async function expectRejected(response: Response): Promise<void> {
  expect(response.status).toBe(401);
  expect(response.headers.get("www-authenticate")).toMatch(/^Bearer realm="instagram"/);
  expect(await problemOf(response)).toMatchObject({ status: 401, title: "Unauthorized" });
}

describe("access tokens at the gateway", () => {
  it("accepts a valid token", async () => {
    const gateway = await createTestbed();
    const { authorization } = await gateway.signedUp("alice");
    expect((await gateway.request("/v1/users/me", { token: authorization })).status).toBe(200);
  });

  it.each([
    ["no header", undefined],
    ["an empty header", ""],
    ["another scheme", "Basic YWxpY2U6cGFzc3dvcmQ="],
    ["a bearer with no token", "Bearer "],
    ["a token that is not a JWT", "Bearer not-a-jwt"],
  ])("refuses %s", async (_case, header) => {
    const gateway = await createTestbed();
    await gateway.signedUp("alice");
    const headers: Record<string, string> = header === undefined ? {} : { authorization: header };
    await expectRejected(await gateway.request("/v1/users/me", { headers }));
    expect(gateway.world.received).toEqual([]);
  });

  it("refuses an expired token", async () => {
    const gateway = await createTestbed();
    const { account } = await gateway.signedUp("alice");
    const token = await gateway.keys.sign(account.id, { expiresInSeconds: -60 });
    await expectRejected(await gateway.request("/v1/users/me", { token: `Bearer ${token}` }));
  });

  it("refuses a token from another issuer", async () => {
    const gateway = await createTestbed();
    const { account } = await gateway.signedUp("alice");
    const token = await gateway.keys.sign(account.id, { issuer: "someone-else" });
    await expectRejected(await gateway.request("/v1/users/me", { token: `Bearer ${token}` }));
  });

  it("refuses a token whose payload was tampered with", async () => {
    const gateway = await createTestbed();
    const { authorization } = await gateway.signedUp("alice");
    const { account: bob } = await gateway.signedUp("bob");
    const [header, payload, signature] = authorization.replace("Bearer ", "").split(".");
    const claims = JSON.parse(new TextDecoder().decode(base64url.decode(payload ?? "")));
    const forged = `${header}.${encodeJson({ ...claims, sub: bob.id })}.${signature}`;
    await expectRejected(await gateway.request("/v1/users/me", { token: `Bearer ${forged}` }));
    expect(gateway.world.received).toEqual([]);
  });

  it("refuses an unsigned token (alg none)", async () => {
    const gateway = await createTestbed();
    const { account } = await gateway.signedUp("alice");
    const now = Math.floor(Date.now() / 1000);
    const header = encodeJson({ alg: "none", typ: "JWT", kid: gateway.keys.kid });
    const payload = encodeJson({ sub: account.id, iss: issuer, iat: now, exp: now + 600 });
    await expectRejected(await gateway.request("/v1/users/me", { token: `Bearer ${header}.${payload}.` }));
  });

  it("refuses an HS256 token keyed with the published public key", async () => {
    const gateway = await createTestbed();
    const { account } = await gateway.signedUp("alice");
    const publicKey = await importJWK(gateway.keys.publicJwk, "EdDSA");
    const secrets = [
      new TextEncoder().encode(await exportSPKI(publicKey as CryptoKey)),
      new TextEncoder().encode(JSON.stringify(gateway.keys.publicJwk)),
      base64url.decode(gateway.keys.publicJwk.x ?? ""),
    ];
    for (const secret of secrets) {
      const token = await new SignJWT({})
        .setProtectedHeader({ alg: "HS256", kid: gateway.keys.kid })
        .setSubject(account.id)
        .setIssuer(issuer)
        .setExpirationTime("10m")
        .sign(secret);
      await expectRejected(await gateway.request("/v1/users/me", { token: `Bearer ${token}` }));
    }
  });

  it("refuses a token signed by a key the auth service never published", async () => {
    const gateway = await createTestbed();
    const { account } = await gateway.signedUp("alice");
    const { privateKey } = await generateKeyPair("EdDSA", { crv: "Ed25519" });
    const token = await new SignJWT({})
      .setProtectedHeader({ alg: "EdDSA", kid: gateway.keys.kid })
      .setSubject(account.id)
      .setIssuer(issuer)
      .setExpirationTime("10m")
      .sign(privateKey);
    await expectRejected(await gateway.request("/v1/users/me", { token: `Bearer ${token}` }));
  });

  it("answers 503, not 401, when the keys cannot be fetched", async () => {
    const gateway = await createTestbed({
      auth: {
        async getJwks() {
          const { Code, ConnectError } = await import("@connectrpc/connect");
          throw new ConnectError("connect ECONNREFUSED 10.1.2.3:8081", Code.Unavailable);
        },
      },
    });
    const { authorization } = await gateway.signedUp("alice");
    const response = await gateway.request("/v1/users/me", { token: authorization });
    expect(response.status).toBe(503);
    expect(JSON.stringify(await problemOf(response))).not.toContain("10.1.2.3");
  });
});
