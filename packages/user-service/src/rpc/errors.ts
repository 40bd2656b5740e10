import { Code, ConnectError } from "@connectrpc/connect";
import { invalidArgument, type Logger } from "@instagram/kit";
import { InvalidInput, ProfileNotFound, SelfFollow } from "../domain/errors.ts";

/** Domain errors → Connect codes, field problems in x-field-errors; anything unexpected is logged and hidden (no SQL to clients). */
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
