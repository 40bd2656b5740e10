import { AuthService } from "@instagram/contracts/auth";
import { describe, expect, it } from "vitest";
import { createStaticDiscovery } from "../discovery/static.ts";
import { createServiceApp } from "../server/service-app.ts";
import { authServiceJwks } from "./auth-service-jwks.ts";
import { createAccessTokenSigner, generateSigningKey } from "./signer.ts";
import { KeySetUnavailable } from "./token-error.ts";
import { createAccessTokenVerifier } from "./verifier.ts";

/** An auth-service instance answering GetJwks with `jwksJson`, reached through fetch. */
function authInstance(jwksJson: () => string) {
  const app = createServiceApp({
    name: "auth",
    readiness: async () => {},
    routes: (router) => router.service(AuthService, { getJwks: async () => ({ jwksJson: jwksJson() }) }),
  });
  const calls: string[] = [];
  const fetch: typeof globalThis.fetch = async (input, init) => {
    const request = new Request(input, init);
    calls.push(new URL(request.url).host);
    if (new URL(request.url).host === "auth-down") throw new TypeError("fetch failed: ECONNREFUSED");
    return app.fetch(request);
  };
  return { fetch, calls };
}

describe("authServiceJwks", () => {
  it("fetches the keys with GetJwks from an instance discovery names, for the verifier", async () => {
    const signer = await createAccessTokenSigner({
      privateJwk: await generateSigningKey(),
      issuer: "instagram-clone",
      ttlSeconds: 60,
    });
    const { fetch, calls } = authInstance(() => JSON.stringify(signer.jwks()));
    const discovery = createStaticDiscovery({ auth: ["http://auth-down", "http://auth-1"] });
    const jwks = authServiceJwks(discovery, { fetch });

    expect(await jwks()).toEqual(signer.jwks());
    expect(calls).toEqual(["auth-down", "auth-1"]); // the unreachable one, then the next

    const verifier = createAccessTokenVerifier({ issuer: "instagram-clone", jwks });
    const { token } = await signer.sign("account-1");
    await expect(verifier.verify(token)).resolves.toMatchObject({ subject: "account-1" });
  });

  it("refuses an answer that is no JWK Set, and the verifier reports the keys unavailable", async () => {
    const { fetch } = authInstance(() => '{"keys":"none"}');
    const jwks = authServiceJwks(createStaticDiscovery({ auth: ["http://auth-1"] }), { fetch });
    await expect(jwks()).rejects.toThrow(/no JWK Set/);

    const signer = await createAccessTokenSigner({
      privateJwk: await generateSigningKey(),
      issuer: "instagram-clone",
      ttlSeconds: 60,
    });
    const verifier = createAccessTokenVerifier({ issuer: "instagram-clone", jwks });
    const { token } = await signer.sign("account-1");
    await expect(verifier.verify(token)).rejects.toBeInstanceOf(KeySetUnavailable);
  });

  it("fails when discovery knows no auth-service instance", async () => {
    const jwks = authServiceJwks(createStaticDiscovery({}));
    await expect(jwks()).rejects.toThrow(/no instance of auth/);
  });
});
