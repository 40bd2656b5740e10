import { Code } from "@connectrpc/connect";

/**
 * The one place where a service's Connect code becomes the gateway's HTTP status.
 * FailedPrecondition is the caller's mistake given the current state (e.g. following
 * yourself), so it is a 400 as in Google's API design guide; conflicts use AlreadyExists.
 */
const statusByCode: Record<Code, number> = {
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
  return statusByCode[code] ?? 500;
}
