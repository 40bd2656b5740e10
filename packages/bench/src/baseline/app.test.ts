import { exportJWK, generateKeyPair, SignJWT } from "jose";
import postgres from "postgres";
import { afterAll, describe, expect, it } from "vitest";
import { createBaselineApp } from "./app.ts";

// No database is reached here: every request below is answered before a query (postgres.js connects lazily).
const sql = postgres("postgres://nobody@127.0.0.1:1/none", { max: 1 });
afterAll(() => sql.end({ timeout: 0 }));

describe("the baseline's token check", async () => {
  const { publicKey, privateKey } = await generateKeyPair("EdDSA", { crv: "Ed25519" });
  const jwk = { ...(await exportJWK(publicKey)), kid: "k1", alg: "EdDSA" };
  const app = createBaselineApp({ sql, jwks: { keys: [jwk] }, issuer: "instagram-clone" });
  const sign = (issuer: string) =>
    new SignJWT({})
      .setProtectedHeader({ alg: "EdDSA", kid: "k1" })
      .setSubject("0198a0c4-5b1e-7c3a-9f00-000000000001")
      .setIssuer(issuer)
      .setExpirationTime("5m")
      .sign(privateKey);
  const get = (path: string, token?: string) =>
    app.request(path, { headers: token === undefined ? {} : { authorization: `Bearer ${token}` } });

  it("answers 401 problem+json without a token, or with one from another issuer", async () => {
    const missing = await get("/v1/users/alice");
    expect(missing.status).toBe(401);
    expect(missing.headers.get("content-type")).toBe("application/problem+json");
    expect((await get("/v1/feed", await sign("someone-else"))).status).toBe(401);
  });

  it("lets a valid token through: a malformed image id is a 404 without a query", async () => {
    expect((await get("/v1/images/not-an-id", await sign("instagram-clone"))).status).toBe(404);
  });
});
