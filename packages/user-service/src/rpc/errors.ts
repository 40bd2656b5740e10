import { Code, ConnectError } from "@connectrpc/connect";
import type { Logger } from "@instagram/kit";
import { type FieldError, InvalidInput, ProfileNotFound, SelfFollow } from "../domain/errors.ts";

/**
 * Field problems travel in this error metadata entry as JSON `[{path, message}]` (the
 * convention of packages/auth-service/README.md; the gateway turns it into problem `errors`).
 */
export const FIELD_ERRORS_HEADER = "x-field-errors";

export function invalidArgument(message: string, fieldErrors: FieldError[]): ConnectError {
  const metadata = new Headers({ [FIELD_ERRORS_HEADER]: JSON.stringify(fieldErrors) });
  return new ConnectError(message, Code.InvalidArgument, metadata);
}

/** Domain errors → Connect codes; anything unexpected is logged and hidden (no SQL to clients). */
export function toConnectError(error: unknown, logger: Logger): ConnectError {
  if (error instanceof ConnectError) return error;
  if (error instanceof InvalidInput) return invalidArgument(error.message, error.fieldErrors);
  if (error instanceof SelfFollow) {
    return invalidArgument(error.message, [{ path: "username", message: error.message }]);
  }
  if (error instanceof ProfileNotFound) return new ConnectError("profile not found", Code.NotFound);
  logger.error({ err: error }, "user-service request failed");
  return new ConnectError("internal error", Code.Internal);
}
