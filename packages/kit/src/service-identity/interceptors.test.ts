import { timestampFromDate } from "@bufbuild/protobuf/wkt";
import {
  Code,
  ConnectError,
  type ConnectRouter,
  createClient,
  createRouterTransport,
} from "@connectrpc/connect";
import { AuthService } from "@instagram/contracts/auth";
import { describe, expect, it } from "vitest";
import { createTestTokens } from "../testing.ts";
import { callingServiceOf, presentServiceToken, requireServiceToken } from "./interceptors.ts";
import { generateServiceKey, serviceKeyBytes } from "./service-key.ts";
import {
  createServiceTokenSigner,
  createServiceTokenVerifier,
  SERVICE_TOKEN_HEADER,
  type ServiceTokenSigner,
} from "./service-tokens.ts";

const key = serviceKeyBytes(generateServiceKey()) as Uint8Array;
const verifier = createServiceTokenVerifier({ keys: [key] });

// AuthService: ListRevokedSessions is internal, GetJwks is public.
const routes = (router: ConnectRouter) =>
  router.service(AuthService, {
    async listRevokedSessions(_req, ctx) {
      return {
        sessions: [{ sessionId: `for ${callingServiceOf(ctx)}`, revokedAt: timestampFromDate(new Date()) }],
      };
    },
    async getJwks(_req, ctx) {
      return { jwksJson: JSON.stringify({ caller: callingServiceOf(ctx) ?? null }) };
    },
  });

function clientWith(opts: { signer?: ServiceTokenSigner; headers?: Record<string, string> } = {}) {
  return createClient(
    AuthService,
    createRouterTransport(routes, {
      router: { interceptors: [requireServiceToken(() => verifier)] },
      transport: {
        interceptors: [
          ...(opts.signer ? [presentServiceToken(opts.signer)] : []),
          (next) => (req) => {
            for (const [name, value] of Object.entries(opts.headers ?? {})) req.header.set(name, value);
            return next(req);
          },
        ],
      },
    }),
  );
}

async function codeOf(call: Promise<unknown>): Promise<Code | undefined> {
  return call.then(
    () => undefined,
    (error: unknown) => ConnectError.from(error).code,
  );
}

describe("service token interceptors", () => {
  it("let an internal method answer a service presenting a valid token, and name it", async () => {
    const client = clientWith({ signer: createServiceTokenSigner({ key, service: "gateway" }) });
    const { sessions } = await client.listRevokedSessions({});
    expect(sessions[0]?.sessionId).toBe("for gateway");
  });

  it("refuse an internal call without a token as Unauthenticated", async () => {
    expect(await codeOf(clientWith().listRevokedSessions({}))).toBe(Code.Unauthenticated);
  });

  it("refuse a token of another key, an expired one and a user's access token", async () => {
    const forged = createServiceTokenSigner({
      key: serviceKeyBytes(generateServiceKey()) as Uint8Array,
      service: "gateway",
    });
    expect(await codeOf(clientWith({ signer: forged }).listRevokedSessions({}))).toBe(Code.Unauthenticated);

    const longAgo = Date.now() - 10 * 60_000;
    const expired = await createServiceTokenSigner({ key, service: "gateway", now: () => longAgo }).token();
    const withExpired = clientWith({ headers: { [SERVICE_TOKEN_HEADER]: expired } });
    expect(await codeOf(withExpired.listRevokedSessions({}))).toBe(Code.Unauthenticated);

    const access = await (await createTestTokens()).tokenFor("account-1");
    const asService = clientWith({ headers: { [SERVICE_TOKEN_HEADER]: access } });
    expect(await codeOf(asService.listRevokedSessions({}))).toBe(Code.Unauthenticated);
    const asUser = clientWith({ headers: { authorization: `Bearer ${access}` } });
    expect(await codeOf(asUser.listRevokedSessions({}))).toBe(Code.Unauthenticated);
  });

  it("refuse every internal call while the service has no verifier", async () => {
    const client = createClient(
      AuthService,
      createRouterTransport(routes, {
        router: { interceptors: [requireServiceToken(() => undefined)] },
        transport: {
          interceptors: [presentServiceToken(createServiceTokenSigner({ key, service: "user" }))],
        },
      }),
    );
    expect(await codeOf(client.listRevokedSessions({}))).toBe(Code.Unauthenticated);
  });

  it("leave other methods alone: no token needed, none sent", async () => {
    let sent: string | null = "unset";
    const client = createClient(
      AuthService,
      createRouterTransport(routes, {
        router: {
          interceptors: [
            (next) => (req) => {
              sent = req.header.get(SERVICE_TOKEN_HEADER);
              return next(req);
            },
            requireServiceToken(() => verifier),
          ],
        },
        transport: {
          interceptors: [presentServiceToken(createServiceTokenSigner({ key, service: "user" }))],
        },
      }),
    );
    expect(JSON.parse((await client.getJwks({})).jwksJson)).toEqual({ caller: null });
    expect(sent).toBeNull();
  });
});
