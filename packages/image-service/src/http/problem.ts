import { problem as problemBody, problemResponse } from "@instagram/kit";
import { type ImageErrorKind, isImageError } from "../domain/errors.ts";
import { MultipartError } from "./multipart.ts";

const statuses: Record<ImageErrorKind, { status: number; title: string }> = {
  "not-found": { status: 404, title: "Not Found" },
  forbidden: { status: 403, title: "Forbidden" },
  "account-gone": { status: 401, title: "Unauthorized" },
  "invalid-input": { status: 400, title: "Bad Request" },
  "caption-too-long": { status: 400, title: "Bad Request" },
  "empty-upload": { status: 400, title: "Bad Request" },
  "undecodable-image": { status: 400, title: "Bad Request" },
  "unsupported-type": { status: 415, title: "Unsupported Media Type" },
  "upload-too-large": { status: 413, title: "Content Too Large" },
  // A decompression bomb is too large a content to process, whatever its byte size.
  "too-many-pixels": { status: 413, title: "Content Too Large" },
};

/** An RFC 9457 problem; `errors` names the field at fault when there is one. */
export function problem(status: number, _title: string, detail?: string, field?: string): Response {
  const errors = field !== undefined && detail !== undefined ? [{ path: field, message: detail }] : undefined;
  return problemResponse(problemBody(status, detail ?? "", errors));
}

const fields: Partial<Record<ImageErrorKind, string>> = {
  "caption-too-long": "caption",
  "empty-upload": "file",
  "undecodable-image": "file",
  "unsupported-type": "file",
  "upload-too-large": "file",
  "too-many-pixels": "file",
};

/** The problem response for a client error, or undefined for anything else (a 500). */
export function problemOf(error: unknown): Response | undefined {
  if (isImageError(error)) {
    const { status, title } = statuses[error.kind];
    return problem(status, title, error.message, fields[error.kind]);
  }
  if (error instanceof MultipartError)
    return problem(400, "Bad Request", `malformed multipart body: ${error.message}`);
  return undefined;
}
