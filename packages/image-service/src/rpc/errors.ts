import { Code, ConnectError } from "@connectrpc/connect";
import type { Logger } from "@instagram/kit";
import { type ImageErrorKind, isImageError } from "../domain/errors.ts";

const codes: Record<ImageErrorKind, Code> = {
  "not-found": Code.NotFound,
  forbidden: Code.PermissionDenied,
  "account-gone": Code.Unauthenticated,
  "invalid-input": Code.InvalidArgument,
  "caption-too-long": Code.InvalidArgument,
  "empty-upload": Code.InvalidArgument,
  "undecodable-image": Code.InvalidArgument,
  "unsupported-type": Code.InvalidArgument,
  "upload-too-large": Code.ResourceExhausted,
  "too-many-pixels": Code.ResourceExhausted,
};

/** Domain errors → their Connect code; anything unexpected is logged and hidden (no SQL or paths to callers). */
export function toConnectError(error: unknown, logger: Logger): ConnectError {
  if (error instanceof ConnectError) return error;
  if (isImageError(error)) return new ConnectError(error.message, codes[error.kind]);
  logger.error({ err: error }, "image-service request failed");
  return new ConnectError("internal error", Code.Internal);
}

/** Runs handler bodies, translating their errors with toConnectError. */
export function answeringWith(logger: Logger): <T>(body: () => Promise<T>) => Promise<T> {
  return async (body) => {
    try {
      return await body();
    } catch (error) {
      throw toConnectError(error, logger);
    }
  };
}
