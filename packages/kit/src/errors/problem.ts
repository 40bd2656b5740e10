import { Code, ConnectError } from "@connectrpc/connect";
import type { Logger } from "../log/logger.ts";
import { RETRY_AFTER_KEY, TRANSIENT_RETRY_AFTER_SECONDS } from "./connect-boundary.ts";
import { DomainError } from "./domain-error.ts";
import { type FieldError, fieldErrorsOf } from "./field-errors.ts";
import { httpStatusOf, httpStatusOfKind } from "./status.ts";
import { isTransientFault } from "./transient.ts";

/** RFC 9457 problem details, the body of every error response. */
export interface Problem {
  type: string;
  title: string;
  status: number;
  detail: string;
  errors?: FieldError[];
}

const titles: Record<number, string> = {
  400: "Bad Request",
  401: "Unauthorized",
  403: "Forbidden",
  404: "Not Found",
  405: "Method Not Allowed",
  408: "Request Timeout",
  409: "Conflict",
  413: "Content Too Large",
  414: "URI Too Long",
  415: "Unsupported Media Type",
  429: "Too Many Requests",
  431: "Request Header Fields Too Large",
  499: "Client Closed Request",
  500: "Internal Server Error",
  501: "Not Implemented",
  503: "Service Unavailable",
  504: "Gateway Timeout",
};

export function problem(status: number, detail: string, errors?: readonly FieldError[]): Problem {
  return {
    type: "about:blank",
    title: titles[status] ?? (status >= 500 ? "Server Error" : "Client Error"),
    status,
    detail,
    ...(errors && errors.length > 0 ? { errors: [...errors] } : {}),
  };
}

export function problemResponse(body: Problem, headers?: Record<string, string>): Response {
  return new Response(JSON.stringify(body), {
    status: body.status,
    headers: { ...headers, "content-type": "application/problem+json" },
  });
}

/** Thrown anywhere in an HTTP request to answer with a problem; the error handler renders it. */
export class HttpProblem extends Error {
  readonly problem: Problem;
  readonly headers: Record<string, string>;

  constructor(
    status: number,
    detail: string,
    opts: { errors?: readonly FieldError[]; headers?: Record<string, string>; cause?: unknown } = {},
  ) {
    super(detail, opts.cause === undefined ? undefined : { cause: opts.cause });
    this.name = "HttpProblem";
    this.problem = problem(status, detail, opts.errors);
    this.headers = opts.headers ?? {};
  }
}

/** RFC 6750: every 401 names the scheme the client should use. */
export function unauthorized(detail: string, tokenError?: "invalid_token"): HttpProblem {
  const challenge = tokenError
    ? `Bearer realm="instagram", error="${tokenError}", error_description="${detail.replaceAll('"', "'")}"`
    : 'Bearer realm="instagram"';
  return new HttpProblem(401, detail, { headers: { "www-authenticate": challenge } });
}

/** Codes whose message is written for the caller; any other message may carry internals. */
const callerFacing = new Set<Code>([
  Code.InvalidArgument,
  Code.NotFound,
  Code.AlreadyExists,
  Code.PermissionDenied,
  Code.ResourceExhausted,
  Code.FailedPrecondition,
  Code.Aborted,
  Code.OutOfRange,
  Code.Unauthenticated,
]);

const genericDetail: Partial<Record<Code, string>> = {
  [Code.Unavailable]: "A service needed for this request is unavailable; try again shortly.",
  [Code.DeadlineExceeded]: "A service needed for this request did not answer in time; try again shortly.",
  [Code.Unimplemented]: "This operation is not implemented.",
  [Code.Canceled]: "The request was canceled.",
};

function retryAfterOf(error: ConnectError): Record<string, string> {
  const value = error.metadata.get(RETRY_AFTER_KEY);
  if (value && /^\d+$/.test(value)) return { "retry-after": value };
  if (error.code === Code.Unavailable || error.code === Code.DeadlineExceeded) {
    return { "retry-after": String(TRANSIENT_RETRY_AFTER_SECONDS) };
  }
  return {};
}

/** A service's refusal as the problem the client sees. Server faults get a generic detail. */
export function problemOfConnectError(error: ConnectError): HttpProblem {
  const status = httpStatusOf(error.code);
  if (error.code === Code.Unauthenticated) return unauthorized(error.rawMessage || "Not authenticated.");
  if (!callerFacing.has(error.code)) {
    const detail = genericDetail[error.code] ?? "The server failed to handle the request.";
    return new HttpProblem(status, detail, { headers: retryAfterOf(error) });
  }
  const headers = error.code === Code.ResourceExhausted ? retryAfterOf(error) : {};
  return new HttpProblem(status, error.rawMessage, { errors: fieldErrorsOf(error), headers });
}

/**
 * Any error of an HTTP request as the problem to answer: a problem as thrown, a DomainError with
 * its status, a ConnectError from a peer, a transient fault as 503; anything else is logged and
 * answered 500 without details.
 */
export function problemOfError(error: unknown, logger: Logger): HttpProblem {
  if (error instanceof HttpProblem) return error;
  if (error instanceof DomainError) {
    const headers: Record<string, string> = {};
    if (error.retryAfterSeconds !== undefined) headers["retry-after"] = String(error.retryAfterSeconds);
    if (error.kind === "unauthenticated") return unauthorized(error.message);
    return new HttpProblem(httpStatusOfKind[error.kind], error.message, {
      errors: error.fieldErrors,
      headers,
    });
  }
  if (error instanceof ConnectError) {
    const answer = problemOfConnectError(error);
    if (answer.problem.status >= 500) logger.error({ err: error, code: error.code }, "service call failed");
    return answer;
  }
  if (isTransientFault(error)) {
    logger.warn({ err: error }, "dependency unavailable");
    return new HttpProblem(503, "A dependency is unavailable; try again shortly.", {
      headers: { "retry-after": String(TRANSIENT_RETRY_AFTER_SECONDS) },
    });
  }
  logger.error({ err: error }, "request failed");
  return new HttpProblem(500, "The server failed to handle the request.");
}

/** Renders `problemOfError` as the response. */
export function problemResponseOf(error: unknown, logger: Logger): Response {
  const answer = problemOfError(error, logger);
  return problemResponse(answer.problem, answer.headers);
}
