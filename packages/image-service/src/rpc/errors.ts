import { Code, ConnectError } from "@connectrpc/connect";
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

/** Domain errors → Connect codes; anything else passes through (and is an Internal error). */
export function toConnectError(error: unknown): unknown {
  if (isImageError(error)) return new ConnectError(error.message, codes[error.kind]);
  return error;
}

/** Runs a handler body, translating domain errors. */
export async function answering<T>(body: () => Promise<T>): Promise<T> {
  try {
    return await body();
  } catch (error) {
    throw toConnectError(error);
  }
}
