import type { DescService } from "@bufbuild/protobuf";
import { MethodOptions_IdempotencyLevel } from "@bufbuild/protobuf/wkt";
import type { OpenAPIHono, RouteConfig } from "@hono/zod-openapi";
import { ProblemSchema } from "../routes/schemas.ts";
import { type Policy, policyOfMethod, procedureOf } from "./table.ts";

/**
 * The refusals every operation may meet, each once in `components.responses` and referenced by
 * the operations that can answer it. The edge's (the kit's HTTP/1.1 side, server/http1-edge.ts)
 * come before any route, so every operation lists them.
 */
const sharedAnswers = {
  MalformedRequest: [
    400,
    "The request is not well-formed HTTP/1.1 (a bad header, length or chunk; no Host).",
  ],
  InvalidRequest: [
    400,
    "A parameter, header or field of the body breaks a rule, or the request is not well-formed HTTP/1.1.",
  ],
  Unauthorized: [401, "Missing, malformed, expired or forged access token."],
  RequestTimeout: [
    408,
    "The request's headers or body did not arrive in time (HTTP_HEADERS_TIMEOUT_MS, HTTP_BODY_IDLE_TIMEOUT_MS, HTTP_REQUEST_TIMEOUT_MS); the connection closes.",
  ],
  BodyTooLarge: [413, "The body exceeds MAX_JSON_BODY_BYTES (64 KiB by default)."],
  UriTooLong: [414, "The request line is longer than 16 KiB."],
  NotJson: [415, "The body is not application/json."],
  TooManyLogins: [429, "Too many attempts for this account or from this address; see Retry-After."],
  HeadersTooLarge: [431, "The header fields are larger than 16 KiB in all."],
  Unavailable: [503, "A service is unavailable or too slow, or the gateway is starting; try again shortly."],
} as const satisfies Record<string, readonly [number, string]>;

type SharedAnswer = keyof typeof sharedAnswers;

const answer = (name: SharedAnswer) => ({ $ref: `#/components/responses/${name}` });

/** Puts the shared refusals in the document's `components.responses`, as problem+json. */
export function registerSharedAnswers(registry: OpenAPIHono["openAPIRegistry"]): void {
  registry.register("Problem", ProblemSchema);
  for (const [name, [, description]] of Object.entries(sharedAnswers)) {
    registry.registerComponent("responses", name, {
      description,
      content: { "application/problem+json": { schema: { $ref: "#/components/schemas/Problem" } } },
    });
  }
}

/**
 * The refusals an operation's policy, inputs and the edge make possible, as documented answers.
 * A JSON body's limit applies to every method but GET and HEAD, whether or not the operation
 * reads a body (policy/rest.ts).
 */
export function documentedPolicy(policy: Policy, config: Pick<RouteConfig, "request" | "method">) {
  const request = config.request;
  const hasInput = Boolean(request?.params || request?.query || request?.headers || request?.body);
  const hasJsonBody = policy.body === "json" && request?.body !== undefined;
  const bodyLimited = policy.body === "json" && config.method !== "get" && config.method !== "head";
  return {
    400: answer(hasInput ? "InvalidRequest" : "MalformedRequest"),
    ...(policy.access === "token" ? { 401: answer("Unauthorized") } : {}),
    408: answer("RequestTimeout"),
    ...(bodyLimited ? { 413: answer("BodyTooLarge") } : {}),
    414: answer("UriTooLong"),
    ...(hasJsonBody ? { 415: answer("NotJson") } : {}),
    ...(policy.rateLimit === "login" ? { 429: answer("TooManyLogins") } : {}),
    431: answer("HeadersTooLarge"),
    503: answer("Unavailable"),
  };
}

/** One public Connect RPC as the document lists it. */
export interface DocumentedRpc {
  procedure: string;
  path: string;
  /** Connect GET (the method has no side effects) besides POST. */
  get: boolean;
  access: "anonymous" | "token";
  rateLimit?: "login";
  body: Policy["body"];
}

/** The relayed methods of the services with their policies: `x-connect-rpcs` of the document. */
export function documentedRpcs(services: readonly DescService[]): DocumentedRpc[] {
  return services.flatMap((service) =>
    service.methods.flatMap((method): DocumentedRpc[] => {
      const policy = policyOfMethod(method);
      if (policy.access === "internal" || method.methodKind !== "unary") return [];
      return [
        {
          procedure: procedureOf(method),
          path: `/${procedureOf(method)}`,
          get: method.idempotency === MethodOptions_IdempotencyLevel.NO_SIDE_EFFECTS,
          access: policy.access,
          ...(policy.rateLimit ? { rateLimit: policy.rateLimit } : {}),
          body: policy.body,
        },
      ];
    }),
  );
}

/** The same list as Markdown, for the document's description (what /docs shows). */
export function rpcTableMarkdown(rpcs: readonly DocumentedRpc[]): string {
  const rows = rpcs.map(
    (rpc) =>
      `| \`${rpc.path}\` | ${rpc.get ? "POST, GET" : "POST"} | ${rpc.access === "token" ? "access token" : "anonymous"} | ${rpc.rateLimit ?? "—"} |`,
  );
  return ["| procedure | methods | needs | rate limit |", "| --- | --- | --- | --- |", ...rows].join("\n");
}
