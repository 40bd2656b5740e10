/** A problem with one input field: `path` is dotted (`username`, `items.0.id`). */
export interface FieldProblem {
  path: string;
  message: string;
}

/** RFC 9457 problem details, the body of every error response. */
export interface Problem {
  type: string;
  title: string;
  status: number;
  detail: string;
  errors?: FieldProblem[];
}

const titles: Record<number, string> = {
  400: "Bad Request",
  401: "Unauthorized",
  403: "Forbidden",
  404: "Not Found",
  405: "Method Not Allowed",
  409: "Conflict",
  413: "Content Too Large",
  415: "Unsupported Media Type",
  429: "Too Many Requests",
  500: "Internal Server Error",
  501: "Not Implemented",
  503: "Service Unavailable",
  504: "Gateway Timeout",
};

export function problem(status: number, detail: string, errors?: FieldProblem[]): Problem {
  return {
    type: "about:blank",
    title: titles[status] ?? (status >= 500 ? "Server Error" : "Client Error"),
    status,
    detail,
    ...(errors && errors.length > 0 ? { errors } : {}),
  };
}

export function problemResponse(body: Problem, headers?: Record<string, string>): Response {
  return new Response(JSON.stringify(body), {
    status: body.status,
    headers: { ...headers, "content-type": "application/problem+json" },
  });
}

/** Thrown anywhere in a request to answer with a problem; the error handler renders it. */
export class HttpProblem extends Error {
  readonly problem: Problem;
  readonly headers: Record<string, string>;

  constructor(
    status: number,
    detail: string,
    opts: { errors?: FieldProblem[]; headers?: Record<string, string>; cause?: unknown } = {},
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
