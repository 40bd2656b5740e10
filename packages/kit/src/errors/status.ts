import { Code } from "@connectrpc/connect";
import type { ProblemKind } from "./domain-error.ts";

/** Each kind of refusal as a Connect code, between services. */
export const connectCodeOfKind: Record<ProblemKind, Code> = {
  "invalid-input": Code.InvalidArgument,
  unauthenticated: Code.Unauthenticated,
  forbidden: Code.PermissionDenied,
  "not-found": Code.NotFound,
  conflict: Code.AlreadyExists,
  "too-large": Code.ResourceExhausted,
  "unsupported-media-type": Code.InvalidArgument,
  "too-many-requests": Code.ResourceExhausted,
  unavailable: Code.Unavailable,
};

/** Each kind of refusal as an HTTP status, at the edge (plain HTTP routes answer it directly). */
export const httpStatusOfKind: Record<ProblemKind, number> = {
  "invalid-input": 400,
  unauthenticated: 401,
  forbidden: 403,
  "not-found": 404,
  conflict: 409,
  "too-large": 413,
  "unsupported-media-type": 415,
  "too-many-requests": 429,
  unavailable: 503,
};

/**
 * The one place where a Connect code becomes an HTTP status. FailedPrecondition is the caller's
 * mistake given the current state, so it is a 400 as in Google's API design guide; conflicts use
 * AlreadyExists. A peer that did not answer in time is unavailable (503), not a gateway timeout.
 */
const httpStatusOfCode: Record<Code, number> = {
  [Code.Canceled]: 499,
  [Code.Unknown]: 500,
  [Code.InvalidArgument]: 400,
  [Code.DeadlineExceeded]: 503,
  [Code.NotFound]: 404,
  [Code.AlreadyExists]: 409,
  [Code.PermissionDenied]: 403,
  [Code.ResourceExhausted]: 429,
  [Code.FailedPrecondition]: 400,
  [Code.Aborted]: 409,
  [Code.OutOfRange]: 400,
  [Code.Unimplemented]: 501,
  [Code.Internal]: 500,
  [Code.Unavailable]: 503,
  [Code.DataLoss]: 500,
  [Code.Unauthenticated]: 401,
};

export function httpStatusOf(code: Code): number {
  return httpStatusOfCode[code] ?? 500;
}
