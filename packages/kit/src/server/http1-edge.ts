import type * as http from "node:http";
import type * as net from "node:net";
import type { Duplex } from "node:stream";
import { problem, problemResponse } from "../errors/problem.ts";

/** How long a client may take, on the HTTP/1.1 side of a Node port (milliseconds). */
export interface HttpTimeouts {
  /** To send a request's line and headers (slowloris); also a silent new connection. Default 10 s. */
  headersMs?: number;
  /** To send a whole request, body included; default 300 s. */
  requestMs?: number;
  /** Without sending a byte of a body it has not finished; default 30 s. */
  bodyIdleMs?: number;
  /** An idle keep-alive connection is closed after this; default 5 s. */
  keepAliveMs?: number;
}

export type ResolvedHttpTimeouts = Required<HttpTimeouts>;

/** The longest request line taken (method, target, version); past it: 414. Node's header limit is 16 KiB. */
export const MAX_REQUEST_LINE_BYTES = 16 * 1024;

export function resolveHttpTimeouts(timeouts: HttpTimeouts | undefined): ResolvedHttpTimeouts {
  const resolved = {
    headersMs: timeouts?.headersMs ?? 10_000,
    requestMs: timeouts?.requestMs ?? 300_000,
    bodyIdleMs: timeouts?.bodyIdleMs ?? 30_000,
    keepAliveMs: timeouts?.keepAliveMs ?? 5_000,
  };
  if (resolved.requestMs < resolved.headersMs) {
    throw new Error(`the request timeout (${resolved.requestMs} ms) is shorter than the headers timeout`);
  }
  return resolved;
}

/**
 * Applies the timeouts to an HTTP/1.1 server that is fed connections by hand (it never listens):
 * Node checks headersTimeout and requestTimeout only once its connection tracking runs, which it
 * starts on 'listening'. Returns what stops that tracking.
 */
export function applyHttpTimeouts(server: http.Server, timeouts: ResolvedHttpTimeouts): () => void {
  server.headersTimeout = timeouts.headersMs;
  server.requestTimeout = timeouts.requestMs;
  server.keepAliveTimeout = timeouts.keepAliveMs;
  server.emit("listening");
  // close() of a server that never listened still stops the checks, then reports "not running".
  return () => server.close(() => {});
}

/** The checking interval Node needs to honour `timeouts` (it looks at connections every interval). */
export function checkingIntervalOf(timeouts: ResolvedHttpTimeouts): number {
  return Math.max(25, Math.min(1_000, Math.floor(timeouts.headersMs / 4)));
}

/** Answers on the raw socket (the request never reached the app, or the app answers no more) and closes it. */
export function refuseOnSocket(socket: Duplex, status: number, detail: string): void {
  if (!socket.writable) {
    socket.destroy();
    return;
  }
  const body = JSON.stringify(problem(status, detail));
  const head = [
    `HTTP/1.1 ${status} ${problem(status, "").title}`,
    "content-type: application/problem+json",
    `content-length: ${Buffer.byteLength(body)}`,
    "x-content-type-options: nosniff",
    "connection: close",
  ];
  socket.end(`${head.join("\r\n")}\r\n\r\n${body}`);
  // end() waits for the client's side; a client that never closes is cut after a while.
  setTimeout(() => socket.destroy(), 1_000).unref();
}

/**
 * `Expect: 100-continue` answered once the app starts reading the body, not at once as Node does
 * without a 'checkContinue' listener: a refusal decided from the headers (401, 413 on a declared
 * length, 415) reaches the client before it has sent any of the body (curl asks so for uploads
 * over 1 MiB).
 */
export function continueOnFirstRead(req: http.IncomingMessage, res: http.ServerResponse): void {
  const read = req._read;
  req._read = function continueThenRead(size: number): void {
    req._read = read;
    if (!res.headersSent) res.writeContinue();
    read.call(this, size);
  };
}

/** How long a connection whose request body was left unread stays half-open after the answer. */
const LINGER_MS = 2_000;

/**
 * A lingering close in place of Node's destroySoon while the request on `socket` still has unread
 * body (a 413 on a declared length, an upload refused early): send FIN, stop reading, destroy a
 * moment later. Destroying at once, with unread bytes queued, sends a reset that can reach the
 * client, still sending, before it has read the answer.
 */
export function lingerOverUnreadBody(
  socket: net.Socket,
  unreadRequest: () => http.IncomingMessage | undefined,
): void {
  const destroySoon = socket.destroySoon.bind(socket);
  socket.destroySoon = () => {
    const request = unreadRequest();
    if (request === undefined) {
      destroySoon();
      return;
    }
    socket.end();
    // Node dumps an unread body (it resumes the request on the next tick, to discard the rest at
    // full speed): pause after that, so the client's buffers fill and it stops.
    process.nextTick(() => {
      request.pause();
      socket.pause();
    });
    setTimeout(() => socket.destroy(), LINGER_MS).unref();
  };
}

/** The problem for an error of Node's HTTP/1.1 parser or of its request timers. */
export function clientErrorProblem(error: Error & { code?: string; rawPacket?: unknown }): {
  status: number;
  detail: string;
} {
  switch (error.code) {
    case "HPE_HEADER_OVERFLOW": {
      // The parser's current bytes: no line end yet means the request line itself is too long.
      const raw = Buffer.isBuffer(error.rawPacket) ? error.rawPacket : Buffer.alloc(0);
      return raw.includes("\r\n")
        ? { status: 431, detail: "The request's header fields are too large (16 KiB in all at most)." }
        : { status: 414, detail: `The request's URL is too long (${MAX_REQUEST_LINE_BYTES} bytes at most).` };
    }
    case "ERR_HTTP_REQUEST_TIMEOUT":
      return { status: 408, detail: "The request was not received in time." };
    case "HPE_HEADERS_TIMEOUT":
    case "ERR_HTTP_HEADERS_TIMEOUT":
      return { status: 408, detail: "The request's headers were not received in time." };
    default:
      return { status: 400, detail: "The request is not well-formed HTTP/1.1." };
  }
}

/**
 * A request whose body stops arriving for `idleMs` (the client holds the connection open and sends
 * nothing) gets 408 and the connection closes. A body the app is not reading yet (backpressure) is
 * not the client's fault: the wait starts again.
 */
export function limitBodyIdle(req: http.IncomingMessage, res: http.ServerResponse, idleMs: number): void {
  const hasBody =
    req.headers["transfer-encoding"] !== undefined ||
    (req.headers["content-length"] !== undefined && req.headers["content-length"] !== "0");
  if (!hasBody || req.complete || idleMs <= 0) return;
  const socket = req.socket;
  req.setTimeout(idleMs, () => {
    if (req.complete) return;
    if (req.readableFlowing === false || req.readableLength > 0) {
      socket.setTimeout(idleMs);
      return;
    }
    if (res.headersSent) socket.destroy();
    else refuseOnSocket(socket, 408, `No byte of the request's body arrived for ${idleMs / 1000} s.`);
  });
  // Once the answer is out, Node's keep-alive timer holds the socket's timeout: leave it.
  req.once("end", () => {
    if (!res.writableEnded) socket.setTimeout(0);
  });
}

/**
 * The first bytes of an HTTP/1.1 connection, before it goes to Node's parser: the request line must
 * end within MAX_REQUEST_LINE_BYTES. Returns the problem to answer, or undefined to go on.
 */
export function requestLineProblem(
  received: Buffer,
): { status: number; detail: string } | "wait" | undefined {
  const end = received.indexOf("\r\n");
  if (end >= 0) return end > MAX_REQUEST_LINE_BYTES ? tooLong : undefined;
  return received.length > MAX_REQUEST_LINE_BYTES ? tooLong : "wait";
}

const tooLong = {
  status: 414,
  detail: `The request's URL is too long (${MAX_REQUEST_LINE_BYTES} bytes at most).`,
};

/** The answer to a request Node parsed but no URL can be made of: 400, and the connection closes. */
export function unbuildableRequest(): Response {
  return problemResponse(
    problem(400, "The request's target or Host header does not make a URL (HTTP/1.1 needs a Host)."),
    { connection: "close" },
  );
}
