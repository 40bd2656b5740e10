import {
  type FieldError,
  HttpProblem,
  type Logger,
  problem,
  problemOfError,
  problemResponse,
} from "@instagram/kit";
import type { Context } from "hono";
import { HTTPException } from "hono/http-exception";
import type { z } from "zod";

type ValidationResult =
  | { target: string; success: true; data: unknown }
  | { target: string; success: false; error: z.ZodError };

function fieldProblems(error: z.ZodError, target: string): FieldError[] {
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

/**
 * app.onError: Hono's own exceptions keep their status; everything else goes through the kit's one
 * mapping (a thrown problem, a DomainError, a service's ConnectError, a transient fault; anything
 * else is a logged 500 without internals).
 */
export function errorHandler(logger: Logger): (error: Error, c: Context) => Response {
  return (error, c) => {
    const log = logger.child({ method: c.req.method, path: c.req.path });
    if (error instanceof HTTPException) {
      const detail = error.status >= 500 ? "The server failed to handle the request." : error.message;
      if (error.status >= 500) log.error({ err: error }, "request failed");
      return problemResponse(problem(error.status, detail || "The request cannot be handled."));
    }
    if (error instanceof HttpProblem && error.problem.status >= 500) {
      log.warn({ err: error.cause ?? error }, error.message);
    }
    const answer = problemOfError(error, log);
    return problemResponse(answer.problem, answer.headers);
  };
}
