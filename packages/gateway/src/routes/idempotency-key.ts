import { z } from "@hono/zod-openapi";
import { HttpProblem, IDEMPOTENCY_KEY_HEADER, isDomainError, readIdempotencyKey } from "@instagram/kit";
import type { MiddlewareHandler } from "hono";

const description =
  "Makes a retry safe: 1–255 printable ASCII characters, chosen by the client for one request. " +
  "For 24 hours, the same request with the same key returns the first result (status and body) " +
  "instead of creating a second one; the same key with another request is refused (409).";

/** The optional Idempotency-Key request header, as documented and checked on the POSTs that take it. */
export const IdempotencyHeadersSchema = z.object({
  [IDEMPOTENCY_KEY_HEADER]: z
    .string()
    .regex(/^[\x20-\x7e]{1,255}$/, "must be 1 to 255 printable ASCII characters")
    .optional()
    .openapi({
      param: { name: IDEMPOTENCY_KEY_HEADER, in: "header" },
      description,
      example: "3f1c9e2a-retry-safe",
    }),
});

/** The Idempotency-Key header checked where no validator reads the request (the upload relay). */
export const acceptedIdempotencyKey: MiddlewareHandler = async (c, next) => {
  try {
    readIdempotencyKey(c.req.header(IDEMPOTENCY_KEY_HEADER));
  } catch (error) {
    if (isDomainError(error)) throw new HttpProblem(400, error.message, { errors: error.fieldErrors });
    throw error;
  }
  await next();
};
