/** Room for a multipart body's boundaries, part headers and caption beyond the file itself. */
export const MULTIPART_ALLOWANCE_BYTES = 64 * 1024;

/**
 * The largest upload body taken for a file limit of `maxFileBytes`: the file alone, or the file in
 * a multipart form. The gateway refuses a longer declared Content-Length before relaying a byte;
 * image-service counts what actually arrives.
 */
export function largestUploadBody(maxFileBytes: number, form: "multipart" | "raw"): number {
  return maxFileBytes + (form === "multipart" ? MULTIPART_ALLOWANCE_BYTES : 0);
}
