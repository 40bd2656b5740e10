import type { DescMessage, DescMethodUnary, DescService } from "@bufbuild/protobuf";
import {
  Code,
  ConnectError,
  createConnectRouter,
  createContextKey,
  createContextValues,
  type HandlerContext,
  type MethodImpl,
  type Transport,
} from "@connectrpc/connect";
import {
  universalServerRequestFromFetch,
  universalServerResponseToFetch,
} from "@connectrpc/connect/protocol";
import { AuthService } from "@instagram/contracts/auth";
import { CommentService } from "@instagram/contracts/comment";
import { ImageService } from "@instagram/contracts/image";
import { UserService } from "@instagram/contracts/user";
import { type AccessTokenVerifier, FIELD_ERRORS_KEY, gzipCompression } from "@instagram/kit";
import type { Hono } from "hono";
import { callerOf, isRefusal } from "../auth/bearer.ts";
import type { ServiceTransports } from "../peers/service-clients.ts";
import { type LoginLimit, tooManyLogins } from "../policy/login-limit.ts";
import { type Policy, policyOfMethod } from "../policy/table.ts";
import type { ClientAddress } from "./context.ts";

/** The services whose public methods the relay serves, in the order the document lists them. */
export const relayedServices: readonly DescService[] = [
  AuthService,
  UserService,
  ImageService,
  CommentService,
];

type UnaryMethod = DescMethodUnary<DescMessage, DescMessage>;

/** What the relay needs to enforce the policy table (the same pieces the REST routes use). */
export interface RelayEnforcement {
  verifier: AccessTokenVerifier;
  loginLimit: LoginLimit;
  clientAddress: ClientAddress;
  maxJsonBodyBytes: number;
}

const clientAddressKey = createContextKey<string | undefined>(undefined, {
  description: "the address the call came from",
});

/**
 * The access part of the policy, before the request body is read: a method that needs a token
 * is refused (unauthenticated) without one, exactly as its REST route is.
 */
function accessGate(verifier: AccessTokenVerifier): (ctx: HandlerContext) => Promise<void> {
  return async (ctx) => {
    if (policyOfMethod(ctx.method).access !== "token") return;
    const checked = await callerOf(ctx.requestHeader.get("authorization"), verifier);
    if (isRefusal(checked)) {
      const code = checked.kind === "unavailable" ? Code.Unavailable : Code.Unauthenticated;
      throw new ConnectError(checked.detail, code);
    }
  };
}

/** The login name of a Login request (LoginRequest.username). */
function loginNameOf(request: object): string {
  return "username" in request && typeof request.username === "string" ? request.username : "";
}

/** Relays one call to the service's instances, with the caller's token and remaining deadline. */
function relay(
  method: UnaryMethod,
  transport: Transport,
  policy: Policy,
  loginLimit: LoginLimit,
): MethodImpl<UnaryMethod> {
  return async (request, ctx) => {
    const header = new Headers();
    const authorization = ctx.requestHeader.get("authorization");
    if (authorization) header.set("authorization", authorization);
    const loginName = policy.rateLimit === "login" ? loginNameOf(request) : undefined;
    if (loginName) {
      const wait = loginLimit.admit(loginName, ctx.values.get(clientAddressKey));
      if (wait !== undefined) {
        throw new ConnectError(tooManyLogins, Code.ResourceExhausted, { "retry-after": String(wait) });
      }
    }
    try {
      const answer = await transport.unary(method, ctx.signal, ctx.timeoutMs(), header, request);
      if (loginName) loginLimit.settle(loginName, "succeeded");
      return answer.message;
    } catch (error) {
      const relayed = relayedError(error);
      if (loginName)
        loginLimit.settle(loginName, relayed.code === Code.Unauthenticated ? "refused" : "other");
      throw relayed;
    }
  };
}

/** Error metadata that means something to the caller (Connect drops a received error's metadata). */
const relayedMetadata = [FIELD_ERRORS_KEY, "retry-after"];

function relayedError(error: unknown): ConnectError {
  const received = ConnectError.from(error);
  const metadata = new Headers();
  for (const key of relayedMetadata) {
    const value = received.metadata.get(key);
    if (value !== null) metadata.set(key, value);
  }
  const relayed = new ConnectError(received.rawMessage, received.code, metadata);
  relayed.details = received.details;
  return relayed;
}

/**
 * Serves the services' public methods to browser tools (Connect protocol and gRPC-web, e.g.
 * connect-web) at `/instagram.<svc>.v1.<Svc>Service/<Method>`, relaying each call to the
 * service under the method's policy (policy/table.ts): access, rate limit and body limit, as on
 * the REST routes. Internal methods are not served (404).
 */
export function mountPublicRpcs(
  app: Hono,
  opts: { transports: ServiceTransports; enforcement: RelayEnforcement },
): void {
  const services: [DescService, Transport][] = [
    [AuthService, opts.transports.auth],
    [UserService, opts.transports.user],
    [ImageService, opts.transports.image],
    [CommentService, opts.transports.comment],
  ];
  const { enforcement } = opts;
  const router = createConnectRouter({
    grpc: false,
    grpcWeb: true,
    connect: true,
    readMaxBytes: enforcement.maxJsonBodyBytes,
    // gzip-compressed requests (Content-Encoding / Connect-Content-Encoding), inflated no further than readMaxBytes.
    acceptCompression: [gzipCompression],
    requestGate: accessGate(enforcement.verifier),
  });
  for (const [service, transport] of services) {
    for (const method of service.methods) {
      const policy = policyOfMethod(method);
      if (method.methodKind !== "unary" || policy.access === "internal") continue;
      const unary = method as UnaryMethod;
      // Every relayed message is JSON-sized; an upload never goes through the relay.
      router.rpc<UnaryMethod>(unary, relay(unary, transport, policy, enforcement.loginLimit), {
        readMaxBytes: enforcement.maxJsonBodyBytes,
      });
    }
  }
  for (const handler of router.handlers) {
    app.on(handler.allowedMethods, handler.requestPath, async (c) => {
      const contextValues = createContextValues().set(clientAddressKey, enforcement.clientAddress(c));
      const request = { ...universalServerRequestFromFetch(c.req.raw, {}), contextValues };
      return universalServerResponseToFetch(await handler(request));
    });
  }
}
