import { Code, ConnectError } from "@connectrpc/connect";
import { fieldErrorMetadata, type Logger } from "@instagram/kit";
import { AuthError, type AuthErrorKind, TooManyLoginAttempts } from "../domain/errors.ts";

const codeOf: Record<AuthErrorKind, Code> = {
  invalid_input: Code.InvalidArgument,
  username_taken: Code.AlreadyExists,
  email_taken: Code.AlreadyExists,
  invalid_credentials: Code.Unauthenticated,
  too_many_login_attempts: Code.ResourceExhausted,
  wrong_password: Code.PermissionDenied,
  // A valid token whose account is gone: the caller is no longer anyone.
  account_not_found: Code.Unauthenticated,
  unknown_refresh_token: Code.Unauthenticated,
  refresh_token_expired: Code.Unauthenticated,
  refresh_token_reused: Code.Unauthenticated,
  session_revoked: Code.Unauthenticated,
};

/** Domain errors become their Connect code, field problems in x-field-errors; anything unexpected is logged and hidden. */
export function toConnectError(error: unknown, logger: Logger): ConnectError {
  if (error instanceof ConnectError) return error;
  if (error instanceof AuthError) {
    const metadata = fieldErrorMetadata(error.problems);
    if (error instanceof TooManyLoginAttempts) {
      metadata.set("retry-after", String(error.retryAfterSeconds));
    }
    return new ConnectError(error.message, codeOf[error.kind], metadata);
  }
  logger.error({ err: error }, "auth-service request failed");
  return new ConnectError("internal error", Code.Internal);
}
