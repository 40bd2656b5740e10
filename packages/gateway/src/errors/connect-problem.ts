import { Code, type ConnectError } from "@connectrpc/connect";
import { fieldErrorsOf } from "@instagram/kit";
import { httpStatusOf } from "./connect-status.ts";
import { HttpProblem, unauthorized } from "./problem.ts";

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

/** A service's refusal as the problem the client sees. Server faults get a generic detail. */
export function problemOfConnectError(error: ConnectError): HttpProblem {
  const status = httpStatusOf(error.code);
  if (error.code === Code.Unauthenticated) return unauthorized(error.rawMessage || "Not authenticated.");
  if (!callerFacing.has(error.code)) {
    return new HttpProblem(status, genericDetail[error.code] ?? "The server failed to handle the request.");
  }
  const headers: Record<string, string> = {};
  const retryAfter = error.metadata.get("retry-after");
  if (error.code === Code.ResourceExhausted && retryAfter && /^\d+$/.test(retryAfter)) {
    headers["retry-after"] = retryAfter;
  }
  return new HttpProblem(status, error.rawMessage, { errors: fieldErrorsOf(error), headers });
}
