import { ConnectError } from "@connectrpc/connect";
import type { Logger } from "@instagram/kit";
import type { Context } from "hono";
import { HTTPException } from "hono/http-exception";
import type { z } from "zod";
import { problemOfConnectError } from "./connect-problem.ts";
import { type FieldProblem, HttpProblem, problem, problemResponse } from "./problem.ts";

type ValidationResult =
  | { target: string; success: true; data: unknown }
  | { target: string; success: false; error: z.ZodError };

function fieldProblems(error: z.ZodError, target: string): FieldProblem[] {
  return error.issues.map((issue) => ({
    path: issue.path.length > 0 ? issue.path.map(String).join(".") : target === "json" ? "body" : target,
    message:
      issue.code === "invalid_type" && issue.message.endsWith("received undefined")
        ? "is required"
        : issue.message,
  }));
}

/** OpenAPIHono's defaultHook: a request that fails its schema is a 400 listing every bad field. */
export function validationProblem(result: ValidationResult): Response | undefined {
  if (result.success) return undefined;
  const where =
    result.target === "json" ? "request body" : result.target === "param" ? "path" : result.target;
  return problemResponse(
    problem(400, `The ${where} is not valid.`, fieldProblems(result.error, result.target)),
  );
}

export function notFound(): Response {
  return problemResponse(problem(404, "There is nothing at this address."));
}

/** app.onError: known failures become their problem; anything else is a logged 500 without internals. */
export function errorHandler(logger: Logger): (error: Error, c: Context) => Response {
  return (error, c) => {
    if (error instanceof HttpProblem) {
      if (error.problem.status >= 500)
        logger.warn({ err: error.cause ?? error, path: c.req.path }, error.message);
      return problemResponse(error.problem, error.headers);
    }
    if (error instanceof ConnectError) {
      const answer = problemOfConnectError(error);
      const log = { err: error, code: error.code, method: c.req.method, path: c.req.path };
      if (answer.problem.status >= 500) logger.error(log, "service call failed");
      return problemResponse(answer.problem, answer.headers);
    }
    if (error instanceof HTTPException) {
      const detail = error.status >= 500 ? "The server failed to handle the request." : error.message;
      if (error.status >= 500) logger.error({ err: error, path: c.req.path }, "request failed");
      return problemResponse(problem(error.status, detail || "The request cannot be handled."));
    }
    logger.error({ err: error, method: c.req.method, path: c.req.path }, "unexpected error");
    return problemResponse(problem(500, "The server failed to handle the request."));
  };
}
