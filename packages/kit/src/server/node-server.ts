import * as http from "node:http";
import * as http2 from "node:http2";
import * as net from "node:net";
import { Code, type ConnectRouter, type Interceptor } from "@connectrpc/connect";
import { connectNodeAdapter } from "@connectrpc/connect-node";
import { getRequestListener, RequestError } from "@hono/node-server";
import { context, propagation, ROOT_CONTEXT, SpanKind, SpanStatusCode, trace } from "@opentelemetry/api";
import { problem, problemResponse } from "../errors/problem.ts";
import type { Logger } from "../log/logger.ts";
import { kitTracer, tracesExported } from "../telemetry/trace-context.ts";
import { defaultMaxBodyBytes } from "./connect-routes.ts";
import type { FetchApp } from "./fetch-app.ts";
import { answerGrpcStatus } from "./grpc-status-answer.ts";
import {
  applyHttpTimeouts,
  checkingIntervalOf,
  clientErrorProblem,
  continueOnFirstRead,
  type HttpTimeouts,
  limitBodyIdle,
  lingerOverUnreadBody,
  refuseOnSocket,
  requestLineProblem,
  resolveHttpTimeouts,
  unbuildableRequest,
} from "./http1-edge.ts";
import { requestMetrics } from "./metrics.ts";
import { describeRoute } from "./trace-requests.ts";

/** What a listening port serves. */
export interface NodeSite {
  app: FetchApp;
  /** The service name in the metrics of gRPC calls (HTTP ones are counted by the app). */
  name?: string;
  /** Served as real gRPC over cleartext HTTP/2 on the same port. */
  routes?: (router: ConnectRouter) => void;
  interceptors?: Interceptor[];
  maxBodyBytes?: number;
}

export interface ListenOptions {
  host?: string;
  /** 0 (default) picks a free port. */
  port?: number;
  /** How long close() lets in-flight requests run before cutting them; default 10 s. */
  drainMs?: number;
  logger?: Logger;
  /** How long a client may take to send a request (slowloris, stalled bodies); see HttpTimeouts. */
  timeouts?: HttpTimeouts;
}

export type ServeNodeOptions = NodeSite & ListenOptions;

export interface NodeServer {
  /** http://host:port as bound (the real port when 0 was asked). */
  url: string;
  port: number;
  /** Stops accepting, lets in-flight requests finish (bounded by drainMs), closes idle connections. */
  close(): Promise<void>;
}

export interface ListeningNodeServer extends NodeServer {
  /** Starts serving `site`; until then every request is answered 503 / gRPC Unavailable. */
  attach(site: NodeSite): void;
}

type NodeRequest = http.IncomingMessage | http2.Http2ServerRequest;
type NodeResponse = http.ServerResponse | http2.Http2ServerResponse;

interface Handlers {
  fetch(req: NodeRequest, res: NodeResponse): void;
  grpc: ((req: http2.Http2ServerRequest, res: http2.Http2ServerResponse) => void) | undefined;
}

const http2Preface = Buffer.from("PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n");
const grpcContentType = /^application\/grpc(\+|;|$)/;

/** Binds the port and serves `site` on it: HTTP/1.1 and h2c gRPC on one port. */
export async function serveNode(opts: ServeNodeOptions): Promise<NodeServer> {
  const server = await listenNode(opts);
  server.attach(opts);
  return server;
}

/**
 * Binds one TCP port for HTTP/1.1 (the fetch app) and h2c (gRPC through connectNodeAdapter, the rest
 * through the fetch app): each new connection's first bytes are compared with the HTTP/2 client
 * preface, and the socket is handed to the matching server. Binding before serving lets a service
 * learn its own URL (port 0) before it starts.
 */
export async function listenNode(opts: ListenOptions): Promise<ListeningNodeServer> {
  const drainMs = opts.drainMs ?? 10_000;
  const timeouts = resolveHttpTimeouts(opts.timeouts);
  let handlers: Handlers | undefined;

  const sockets = new Set<net.Socket>();
  const busyHttp1 = new Map<net.Socket, number>();
  const lastRequest = new WeakMap<net.Socket, http.IncomingMessage>();
  const http2Sockets = new WeakSet<net.Socket>();
  const sessions = new Set<http2.ServerHttp2Session>();
  let closing = false;

  const http1 = http.createServer(
    { connectionsCheckingInterval: checkingIntervalOf(timeouts) },
    (req, res) => {
      const socket = req.socket;
      limitBodyIdle(req, res, timeouts.bodyIdleMs);
      lastRequest.set(socket, req);
      busyHttp1.set(socket, (busyHttp1.get(socket) ?? 0) + 1);
      if (closing) res.shouldKeepAlive = false;
      res.once("close", () => {
        const left = (busyHttp1.get(socket) ?? 1) - 1;
        busyHttp1.set(socket, left);
        if (closing && left === 0) socket.end();
      });
      if (handlers) handlers.fetch(req, res);
      else answerStarting(req, res);
    },
  );

  const h2 = http2.createServer({}, (req, res) => {
    // gRPC (not gRPC-web) needs trailers, and the Connect calls of other services
    // (http2Instances) are the hot path: connectNodeAdapter. The rest goes through the fetch app.
    const rpc =
      grpcContentType.test(req.headers["content-type"] ?? "") ||
      req.headers["connect-protocol-version"] !== undefined;
    if (!handlers) answerStarting(req, res);
    else if (rpc && handlers.grpc) handlers.grpc(req, res);
    else handlers.fetch(req, res);
  });
  h2.on("session", (session) => {
    sessions.add(session);
    session.once("close", () => sessions.delete(session));
    if (closing) session.close();
  });
  // A broken client connection must not take the process down.
  h2.on("sessionError", (error) => opts.logger?.debug({ err: error }, "http2 session error"));
  http1.on("checkContinue", (req, res) => {
    continueOnFirstRead(req, res);
    http1.emit("request", req, res);
  });
  const stopTimeoutChecks = applyHttpTimeouts(http1, timeouts);
  http1.on("clientError", (error: Error & { code?: string }, socket) => {
    opts.logger?.debug({ err: error }, "http/1 client error");
    const answering = (socket as net.Socket & { _httpMessage?: http.ServerResponse })._httpMessage;
    if (answering?.headersSent || error.code === "ECONNRESET") {
      socket.destroy();
      return;
    }
    const { status, detail } = clientErrorProblem(error);
    refuseOnSocket(socket, status, detail);
  });

  const tcp = net.createServer((socket) => {
    sockets.add(socket);
    socket.once("close", () => {
      sockets.delete(socket);
      busyHttp1.delete(socket);
    });
    socket.on("error", (error) => opts.logger?.debug({ err: error }, "socket error"));
    if (closing) {
      socket.destroy();
      return;
    }
    dispatch(socket);
  });

  function dispatch(socket: net.Socket): void {
    let received: Buffer = Buffer.alloc(0);
    // A connection that does not finish its first request line in time is cut like a slow header.
    const silent = setTimeout(() => socket.destroy(), timeouts.headersMs);
    socket.once("close", () => clearTimeout(silent));
    const onData = (chunk: Buffer): void => {
      received = received.length === 0 ? chunk : Buffer.concat([received, chunk]);
      const compared = Math.min(received.length, http2Preface.length);
      const looksLikeHttp2 = received.subarray(0, compared).equals(http2Preface.subarray(0, compared));
      if (looksLikeHttp2 && received.length < http2Preface.length) return; // wait for the full preface
      const lineProblem = looksLikeHttp2 ? undefined : requestLineProblem(received);
      if (lineProblem === "wait") return;
      socket.off("data", onData);
      clearTimeout(silent);
      if (lineProblem) {
        refuseOnSocket(socket, lineProblem.status, lineProblem.detail);
        return;
      }
      socket.pause();
      socket.unshift(received);
      if (looksLikeHttp2) {
        // The HTTP/2 session reads what is buffered on the socket itself.
        http2Sockets.add(socket);
        h2.emit("connection", socket);
      } else {
        busyHttp1.set(socket, 0);
        lingerOverUnreadBody(socket, () => {
          const request = lastRequest.get(socket);
          return request?.complete === false ? request : undefined;
        });
        http1.emit("connection", socket);
        socket.resume();
      }
    };
    socket.on("data", onData);
  }

  await new Promise<void>((resolve, reject) => {
    tcp.once("error", reject);
    tcp.listen(opts.port ?? 0, opts.host ?? "127.0.0.1", () => {
      tcp.off("error", reject);
      resolve();
    });
  });
  const address = tcp.address() as net.AddressInfo;
  const host = address.family === "IPv6" ? `[${address.address}]` : address.address;

  async function close(): Promise<void> {
    closing = true;
    stopTimeoutChecks();
    const stopped = new Promise<void>((resolve) => tcp.close(() => resolve()));
    for (const session of sessions) session.close();
    for (const socket of sockets) {
      const busy = busyHttp1.get(socket);
      // Idle keep-alive connections, and connections that have not said anything yet.
      if (busy === 0 || (busy === undefined && !http2Sockets.has(socket))) socket.destroy();
    }
    let timer: NodeJS.Timeout | undefined;
    const deadline = new Promise<"late">((resolve) => {
      timer = setTimeout(() => resolve("late"), drainMs);
    });
    const outcome = await Promise.race([stopped.then(() => "drained" as const), deadline]);
    clearTimeout(timer);
    if (outcome === "late") {
      opts.logger?.warn({ connections: sockets.size }, "drain timed out; closing connections");
      for (const session of sessions) session.destroy();
      for (const socket of sockets) socket.destroy();
      await stopped;
    }
  }

  let closed: Promise<void> | undefined;
  return {
    url: `http://${host}:${address.port}`,
    port: address.port,
    attach(site) {
      handlers = handlersFor(site, opts.logger);
    },
    close: () => {
      closed ??= close();
      return closed;
    },
  };
}

function handlersFor(site: NodeSite, logger: Logger | undefined): Handlers {
  const fetchListener = getRequestListener((request, env) => site.app.fetch(request, env), {
    errorHandler: (error) => {
      // Parsed by Node, yet no URL can be made of it (HTTP/1.0 without Host, a bad Host, `*`):
      // the client's fault, answered like any malformed request rather than left hanging.
      if (error instanceof RequestError) return unbuildableRequest();
      logger?.error({ err: error }, "request failed in the node listener");
      return problemResponse(problem(500, "The server failed to handle the request."), {
        connection: "close",
      });
    },
  });
  const fetch = (req: NodeRequest, res: NodeResponse): void => void fetchListener(req, res);
  const adapter = site.routes
    ? connectNodeAdapter({
        routes: site.routes,
        interceptors: site.interceptors ?? [],
        readMaxBytes: site.maxBodyBytes ?? defaultMaxBodyBytes,
        // A path without a gRPC route: a gRPC call gets Unimplemented; anything else (e.g. the
        // gateway's Connect relay over HTTP/2) goes to the app. (The adapter hands on the Node
        // objects it was given; its type for them only narrows `write`.)
        fallback: (req, res) => {
          if (grpcContentType.test(req.headers["content-type"] ?? ""))
            answerUnmatchedGrpc(req, res as NodeResponse);
          else fetch(req, res as NodeResponse);
        },
      })
    : undefined;
  const service = site.name ?? "unknown";
  const record = requestMetrics(service);
  const grpc = adapter
    ? (req: http2.Http2ServerRequest, res: http2.Http2ServerResponse): void => {
        const started = performance.now();
        const path = req.url.split("?")[0] ?? "";
        res.once("finish", () => {
          record(
            res.statusCode === 404 ? "unmatched" : path,
            req.method,
            res.statusCode,
            (performance.now() - started) / 1000,
          );
        });
        if (!tracesExported()) {
          // No span; the caller's trace context, when sent, stays active for the calls this one makes.
          if (req.headers.traceparent === undefined) adapter(req, res);
          else context.with(propagation.extract(ROOT_CONTEXT, req.headers), () => adapter(req, res));
          return;
        }
        const parent = propagation.extract(ROOT_CONTEXT, req.headers);
        const { name, attributes } = describeRoute(req.method, path);
        const span = kitTracer().startSpan(
          name,
          {
            kind: SpanKind.SERVER,
            attributes: { ...attributes, "rpc.system": "grpc", "instagram.service": service },
          },
          parent,
        );
        res.once("close", () => {
          span.setAttribute("http.response.status_code", res.statusCode);
          if (!res.writableFinished) span.setStatus({ code: SpanStatusCode.ERROR, message: "aborted" });
          span.end();
        });
        context.with(trace.setSpan(parent, span), () => adapter(req, res));
      }
    : undefined;
  return { fetch, grpc };
}

function answerUnmatchedGrpc(req: NodeRequest, res: NodeResponse): void {
  const path = req.url?.split("?")[0] ?? "";
  answerGrpcStatus(
    res,
    Code.Unimplemented,
    `no gRPC method ${path} on this port (server reflection lists those there are); ` +
      "its other routes take HTTP/1.1, the Connect protocol or gRPC-web",
  );
}

function answerStarting(req: NodeRequest, res: NodeResponse): void {
  // Both response kinds have these; TypeScript cannot call through their union.
  const out = res as http.ServerResponse;
  if (grpcContentType.test(req.headers["content-type"] ?? "")) {
    // Unavailable, so clients retry elsewhere.
    answerGrpcStatus(res, Code.Unavailable, "starting");
    return;
  }
  out.writeHead(503, { "content-type": "application/problem+json", "retry-after": "1" });
  out.end(
    JSON.stringify({ type: "about:blank", title: "Service Unavailable", status: 503, detail: "starting" }),
  );
}
