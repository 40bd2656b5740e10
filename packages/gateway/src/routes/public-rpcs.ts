import type { DescMessage, DescMethodUnary, DescService } from "@bufbuild/protobuf";
import { ConnectError, createConnectRouter, type MethodImpl, type Transport } from "@connectrpc/connect";
import {
  universalServerRequestFromFetch,
  universalServerResponseToFetch,
} from "@connectrpc/connect/protocol";
import { AuthService } from "@instagram/contracts/auth";
import { CommentService } from "@instagram/contracts/comment";
import { ImageService } from "@instagram/contracts/image";
import { UserService } from "@instagram/contracts/user";
import { FIELD_ERRORS_KEY } from "@instagram/kit";
import type { Hono } from "hono";
import type { ServiceTransports } from "../peers/service-clients.ts";

/** Methods meant for other services only; browsers never reach them through the gateway. */
const internalMethods = new Set(["ListFolloweeIds", "BatchGetProfiles", "BatchGetImageOwners"]);

type UnaryMethod = DescMethodUnary<DescMessage, DescMessage>;

/** Relays one call to the service's instances, with the caller's token and remaining deadline. */
function relay(method: UnaryMethod, transport: Transport): MethodImpl<UnaryMethod> {
  return async (request, ctx) => {
    const header = new Headers();
    const authorization = ctx.requestHeader.get("authorization");
    if (authorization) header.set("authorization", authorization);
    try {
      const answer = await transport.unary(method, ctx.signal, ctx.timeoutMs(), header, request);
      return answer.message;
    } catch (error) {
      throw relayedError(error);
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
 * service. Services check the forwarded token themselves.
 */
export function mountPublicRpcs(
  app: Hono,
  opts: { transports: ServiceTransports; maxBodyBytes: number },
): void {
  const services: [DescService, Transport][] = [
    [AuthService, opts.transports.auth],
    [UserService, opts.transports.user],
    [ImageService, opts.transports.image],
    [CommentService, opts.transports.comment],
  ];
  const router = createConnectRouter({
    grpc: false,
    grpcWeb: true,
    connect: true,
    readMaxBytes: opts.maxBodyBytes,
  });
  for (const [service, transport] of services) {
    for (const method of service.methods) {
      if (method.methodKind !== "unary" || internalMethods.has(method.name)) continue;
      const unary = method as UnaryMethod;
      router.rpc<UnaryMethod>(unary, relay(unary, transport));
    }
  }
  for (const handler of router.handlers) {
    app.on(handler.allowedMethods, handler.requestPath, async (c) =>
      universalServerResponseToFetch(await handler(universalServerRequestFromFetch(c.req.raw, {}))),
    );
  }
}
