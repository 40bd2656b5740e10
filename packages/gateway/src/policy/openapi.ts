import type { DescService } from "@bufbuild/protobuf";
import { MethodOptions_IdempotencyLevel } from "@bufbuild/protobuf/wkt";
import type { RouteConfig } from "@hono/zod-openapi";
import { problemAnswer, unauthorizedAnswer } from "../routes/schemas.ts";
import { type Policy, policyOfMethod, procedureOf } from "./table.ts";

/** The refusals an operation's policy and inputs make possible, as documented answers. */
export function documentedPolicy(policy: Policy, config: Pick<RouteConfig, "request">) {
  const request = config.request;
  const hasInput = Boolean(request?.params || request?.query || request?.headers || request?.body);
  const hasJsonBody = policy.body === "json" && request?.body !== undefined;
  return {
    ...(hasInput ? { 400: problemAnswer("A parameter or a field of the body breaks a rule.") } : {}),
    ...(policy.access === "token" ? { 401: unauthorizedAnswer } : {}),
    ...(hasJsonBody
      ? {
          413: problemAnswer("The body exceeds MAX_JSON_BODY_BYTES (64 KiB by default)."),
          415: problemAnswer("The body is not application/json."),
        }
      : {}),
    ...(policy.rateLimit === "login"
      ? { 429: problemAnswer("Too many attempts for this account or from this address; see Retry-After.") }
      : {}),
    503: problemAnswer("A service is unavailable or too slow; try again shortly."),
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
