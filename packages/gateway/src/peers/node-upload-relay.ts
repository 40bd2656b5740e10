import { Agent, type IncomingHttpHeaders, IncomingMessage, request, ServerResponse } from "node:http";
import { type RelayedUpload, RelayFailure, type UploadRelay } from "./image-service-http.ts";
import { UpstreamWait } from "./upstream-wait.ts";

/** What @hono/node-server hands the app as `c.env` for each request. */
interface NodeRim {
  incoming: IncomingMessage;
  outgoing: ServerResponse;
}

function nodeRimOf(env: unknown): NodeRim | undefined {
  if (typeof env !== "object" || env === null) return undefined;
  const { incoming, outgoing } = env as { incoming?: unknown; outgoing?: unknown };
  // HTTP/2 requests (Http2ServerRequest) are no IncomingMessage: they keep the fetch path.
  if (incoming instanceof IncomingMessage && outgoing instanceof ServerResponse)
    return { incoming, outgoing };
  return undefined;
}

/**
 * The Node rim of uploads: the client's body is piped from node:http's IncomingMessage into a
 * node:http request to image-service (a keep-alive Agent), chunk by chunk with backpressure, so the
 * gateway holds no more than a socket buffer of it. The web-stream path (Request body → fetch)
 * kept every chunk until a full GC.
 */
export function nodeUploadRelay(opts: { agent?: Agent } = {}): UploadRelay {
  const agent = opts.agent ?? new Agent({ keepAlive: true });
  return {
    send(env, upload) {
      const rim = nodeRimOf(env);
      if (rim === undefined || upload.url.protocol !== "http:") return undefined;
      return relay(rim, upload, agent);
    },
  };
}

function relay({ incoming, outgoing }: NodeRim, upload: RelayedUpload, agent: Agent): Promise<Response> {
  let resolve: (answer: Response) => void = () => {};
  let reject: (failure: RelayFailure) => void = () => {};
  const promise = new Promise<Response>((resolved, rejected) => {
    resolve = resolved;
    reject = rejected;
  });
  const upstream = request(upload.url, {
    method: "POST",
    headers: Object.fromEntries(upload.headers),
    agent,
  });
  let settled = false;
  let bodySent = false;

  const wait = new UpstreamWait(upload.waitMs, () => fail(new RelayFailure("slow")));
  const stopReading = (): void => {
    incoming.off("data", onData);
    incoming.off("end", onEnd);
    upstream.off("drain", onDrain);
    incoming.pause();
  };
  const fail = (failure: RelayFailure): void => {
    if (settled) return;
    settled = true;
    wait.end();
    stopReading();
    upstream.destroy();
    reject(failure);
  };

  // The clock runs only while image-service owes the next step: taking what the socket holds
  // (drain), or answering once it has everything. A slow client is never timed.
  const onData = (chunk: Buffer): void => {
    if (!upstream.write(chunk, () => release(chunk))) {
      incoming.pause();
      wait.start();
    }
  };
  const onDrain = (): void => {
    wait.pause();
    incoming.resume();
  };
  const onEnd = (): void => {
    bodySent = true;
    upstream.end();
    wait.start();
  };
  incoming.on("data", onData);
  incoming.once("end", onEnd);
  upstream.on("drain", onDrain);

  // A client that leaves mid-upload: image-service sees its request cut and keeps nothing.
  incoming.on("error", () => fail(new RelayFailure("client-gone")));
  incoming.once("close", () => {
    if (!incoming.complete) fail(new RelayFailure("client-gone"));
  });
  outgoing.once("close", () => {
    if (!outgoing.writableFinished) fail(new RelayFailure("client-gone"));
  });
  upstream.on("error", (error) => fail(new RelayFailure("unreachable", { cause: error })));

  upstream.once("response", (answer) => {
    // An answer before the whole body (a 413, a 401): read no more of it, from either side.
    const early = !bodySent;
    stopReading();
    wait.start();
    const chunks: Buffer[] = [];
    let answerBytes = 0;
    answer.on("data", (chunk: Buffer) => {
      answerBytes += chunk.byteLength;
      chunks.push(chunk);
      if (answerBytes > MAX_ANSWER_BYTES)
        fail(new RelayFailure("unreachable", { cause: new Error("answer too large") }));
    });
    answer.once("error", (error) => fail(new RelayFailure("unreachable", { cause: error })));
    answer.once("end", () => {
      if (settled) return;
      settled = true;
      wait.end();
      if (early) {
        // Both connections still hold the rest of a body nobody reads: neither is reused. The kit's
        // server closes the client's lingeringly, so the answer is read before any reset.
        upstream.destroy();
        outgoing.shouldKeepAlive = false;
      }
      const status = answer.statusCode ?? 502;
      const body = status === 204 || status === 304 ? null : Buffer.concat(chunks);
      resolve(new Response(body, { status, headers: headersOf(answer.headers) }));
    });
  });

  incoming.resume();
  return promise;
}

/**
 * Frees a chunk's memory once image-service's socket has taken it. Each body chunk node:http hands
 * out has its own ArrayBuffer, which otherwise lingers until V8 collects (it lets ~64 MiB of such
 * external memory pile up first). A chunk sharing its ArrayBuffer is left alone.
 */
function release(chunk: Buffer): void {
  // ES2024's ArrayBuffer.prototype.transfer (Node 20+); the project's lib is ES2023.
  const buffer = chunk.buffer as ArrayBufferLike & {
    readonly detached?: boolean;
    transfer?(length: number): unknown;
  };
  if (chunk.byteOffset !== 0 || buffer.byteLength !== chunk.byteLength) return;
  if (!(buffer instanceof ArrayBuffer) || buffer.detached !== false) return;
  buffer.transfer?.(0);
}

/** image-service answers an upload with one Image or problem JSON: anything far larger is a fault. */
const MAX_ANSWER_BYTES = 1024 * 1024;

/** Headers of one connection, not of the answer: the answer is re-sent whole on another. */
const hopByHop = new Set(["connection", "keep-alive", "transfer-encoding", "te", "trailer", "upgrade"]);

function headersOf(from: IncomingHttpHeaders): Headers {
  const headers = new Headers();
  for (const [name, value] of Object.entries(from)) {
    if (hopByHop.has(name)) continue;
    if (typeof value === "string") headers.set(name, value);
    else if (Array.isArray(value)) for (const each of value) headers.append(name, each);
  }
  return headers;
}
