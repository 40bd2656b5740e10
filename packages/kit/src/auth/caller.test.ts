import { Code, ConnectError, createClient, createRouterTransport } from "@connectrpc/connect";
import { AuthService } from "@instagram/contracts/auth";
import { describe, expect, it } from "vitest";
import { forwardAuthorization } from "../discovery/transport.ts";
import { createAccessTokenSigner, generateSigningKey } from "../tokens/signer.ts";
import { createAccessTokenVerifier } from "../tokens/verifier.ts";
import { bearerOf, callerOf, createAuthInterceptor, requireCaller } from "./caller.ts";

async function setUp() {
  const signer = await createAccessTokenSigner({
    privateJwk: await generateSigningKey(),
    issuer: "instagram-clone",
    ttlSeconds: 60,
  });
  const verifier = createAccessTokenVerifier({ issuer: "instagram-clone", jwks: signer.jwks() });
  const transport = createRouterTransport(
    (router) =>
      router.service(AuthService, {
        // who the handler sees, for the test
        async getJwks(_req, ctx) {
          return {
            jwksJson: JSON.stringify({ caller: callerOf(ctx) ?? null, bearer: bearerOf(ctx) ?? null }),
          };
        },
        async getAccount(_req, ctx) {
          return { account: { id: requireCaller(ctx) } };
        },
      }),
    { router: { interceptors: [createAuthInterceptor(verifier)] } },
  );
  return { signer, transport };
}

async function codeOf(promise: Promise<unknown>): Promise<Code | undefined> {
  return promise.then(
    () => undefined,
    (error: unknown) => ConnectError.from(error).code,
  );
}

describe("createAuthInterceptor", () => {
  it("lets an anonymous call through without a caller", async () => {
    const { transport } = await setUp();
    const client = createClient(AuthService, transport);
    expect(JSON.parse((await client.getJwks({})).jwksJson)).toEqual({ caller: null, bearer: null });
    expect(await codeOf(client.getAccount({}))).toBe(Code.Unauthenticated);
  });

  it("puts the verified caller and its raw token in the handler context", async () => {
    const { signer, transport } = await setUp();
    const { token } = await signer.sign("account-7");
    const client = createClient(AuthService, transport);
    const seen = JSON.parse(
      (await client.getJwks({}, { headers: { authorization: `Bearer ${token}` } })).jwksJson,
    );
    expect(seen).toEqual({ caller: "account-7", bearer: token });
    const me = await client.getAccount({}, { headers: { authorization: `bearer ${token}` } });
    expect(me.account?.id).toBe("account-7");
  });

  it("refuses a present but bad token with Unauthenticated, even on an open method", async () => {
    const { signer, transport } = await setUp();
    const { token } = await signer.sign("account-7");
    const client = createClient(AuthService, transport);
    const tampered = `${token.slice(0, -4)}AAAA`;
    for (const header of [`Bearer ${tampered}`, "Bearer not-a-jwt", "Basic dXNlcjpwYXNz", token]) {
      expect(await codeOf(client.getJwks({}, { headers: { authorization: header } }))).toBe(
        Code.Unauthenticated,
      );
    }
  });

  it("works with forwardAuthorization on the calling side", async () => {
    const { signer } = await setUp();
    const verifier = createAccessTokenVerifier({ issuer: "instagram-clone", jwks: signer.jwks() });
    const { token } = await signer.sign("account-9");
    const transport = createRouterTransport(
      (router) =>
        router.service(AuthService, {
          async getAccount(_req, ctx) {
            return { account: { id: requireCaller(ctx) } };
          },
        }),
      {
        router: { interceptors: [createAuthInterceptor(verifier)] },
        transport: { interceptors: [forwardAuthorization(token)] },
      },
    );
    expect((await createClient(AuthService, transport).getAccount({})).account?.id).toBe("account-9");
  });

  it("answers Unavailable, not Unauthenticated, when the signing keys cannot be fetched", async () => {
    const { signer } = await setUp();
    const { token } = await signer.sign("account-7");
    const verifier = createAccessTokenVerifier({
      issuer: "instagram-clone",
      jwks: async () => {
        throw new Error("auth service down");
      },
    });
    const transport = createRouterTransport(
      (router) =>
        router.service(AuthService, {
          async getJwks() {
            return { jwksJson: "{}" };
          },
        }),
      { router: { interceptors: [createAuthInterceptor(verifier)] } },
    );
    const client = createClient(AuthService, transport);
    expect(await codeOf(client.getJwks({}, { headers: { authorization: `Bearer ${token}` } }))).toBe(
      Code.Unavailable,
    );
  });
});
