import { Code, ConnectError } from "@connectrpc/connect";
import { InvalidCursor, type Logger } from "@instagram/kit";
import { CommentError, type CommentErrorKind, type FieldProblem } from "../domain/errors.ts";

/**
 * Field problems travel in this error metadata entry as JSON `[{ "path", "message" }]`, paths
 * named as in the REST body (the same convention as auth-service; the gateway turns it into the
 * problem+json `errors` member).
 */
export const FIELD_ERRORS_KEY = "x-field-errors";

const codeOf: Record<CommentErrorKind, Code> = {
  "invalid-input": Code.InvalidArgument,
  "image-not-found": Code.NotFound,
  "comment-not-found": Code.NotFound,
  forbidden: Code.PermissionDenied,
  // A valid token whose account is gone: the caller is no longer anyone.
  "account-gone": Code.Unauthenticated,
  "images-unavailable": Code.Unavailable,
};

function metadataOf(problems: FieldProblem[]): Headers {
  const metadata = new Headers();
  if (problems.length > 0) metadata.set(FIELD_ERRORS_KEY, JSON.stringify(problems));
  return metadata;
}

/** Domain errors become their Connect code; anything unexpected is logged and hidden. */
export function toConnectError(error: unknown, logger: Logger): ConnectError {
  if (error instanceof ConnectError) return error;
  if (error instanceof CommentError) {
    return new ConnectError(error.message, codeOf[error.kind], metadataOf(error.problems));
  }
  if (error instanceof InvalidCursor) return new ConnectError(error.message, Code.InvalidArgument);
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
