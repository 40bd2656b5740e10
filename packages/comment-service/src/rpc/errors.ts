import { Code, ConnectError } from "@connectrpc/connect";
import { fieldErrorMetadata, type Logger } from "@instagram/kit";
import { CommentError, type CommentErrorKind } from "../domain/errors.ts";

const codeOf: Record<CommentErrorKind, Code> = {
  "invalid-input": Code.InvalidArgument,
  "image-not-found": Code.NotFound,
  "comment-not-found": Code.NotFound,
  forbidden: Code.PermissionDenied,
  // A valid token whose account is gone: the caller is no longer anyone.
  "account-gone": Code.Unauthenticated,
  "images-unavailable": Code.Unavailable,
};

/** Domain errors become their Connect code, field problems in x-field-errors; anything unexpected is logged and hidden. */
export function toConnectError(error: unknown, logger: Logger): ConnectError {
  if (error instanceof ConnectError) return error;
  if (error instanceof CommentError) {
    return new ConnectError(error.message, codeOf[error.kind], fieldErrorMetadata(error.problems));
  }
  logger.error({ err: error }, "comment-service request failed");
  return new ConnectError("internal error", Code.Internal);
}

/** Runs a handler body, translating its errors. */
export async function answering<T>(logger: Logger, body: () => Promise<T>): Promise<T> {
  try {
    return await body();
  } catch (error) {
    throw toConnectError(error, logger);
  }
}
