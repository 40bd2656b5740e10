import type * as http from "node:http";
import * as http2 from "node:http2";

/**
 * Ends a gRPC call with `code` (a gRPC status) and `message`: response headers, no message, the
 * status in trailers. Not "trailers-only" (the status in the one headers frame, which must end the
 * stream): Node's compatibility API sends writeHead's headers and end() apart, and gRPC clients
 * then report a call that ended without a status.
 */
export function answerGrpcStatus(
  res: http.ServerResponse | http2.Http2ServerResponse,
  code: number,
  message: string,
): void {
  const status = { "grpc-status": String(code), "grpc-message": percentEncoded(message) };
  if (res instanceof http2.Http2ServerResponse) {
    res.writeHead(200, { "content-type": "application/grpc" });
    res.addTrailers(status);
    res.end();
    return;
  }
  // HTTP/1.1 (no real gRPC client uses it): the headers are all such a client can read.
  res.writeHead(200, { "content-type": "application/grpc", ...status });
  res.end();
}

/** grpc-message is percent-encoded: everything outside printable ASCII, and "%" itself. */
function percentEncoded(message: string): string {
  return message.replace(/[^\x20-\x24\x26-\x7e]/gu, (char) => encodeURIComponent(char));
}
