import { createHash } from "node:crypto";
import {
  createServer,
  type IncomingHttpHeaders,
  type IncomingMessage,
  request,
  type ServerResponse,
} from "node:http";
import { connect } from "node:http2";
import type { AddressInfo } from "node:net";
import { createRouterTransport } from "@connectrpc/connect";
import { createAccessTokenVerifier, createLogger, createLoginThrottle } from "@instagram/kit";
import { type NodeServer, serveNode } from "@instagram/kit/node";
import { afterEach, describe, expect, it } from "vitest";
import { createApp } from "../app.ts";
import { defaultImageFileWaits, type ImageFileWaits } from "../peers/image-service-http.ts";
import { nodeUploadRelay } from "../peers/node-upload-relay.ts";
import { createTokenKeys, issuer } from "../testing/token-keys.ts";

const MiB = 1024 * 1024;
const stops: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const stop of stops.splice(0).reverse()) await stop();
});

/** A stand-in for image-service's upload route on a local port. */
async function imageServer(handle: (request: IncomingMessage, response: ServerResponse) => void) {
  const server = createServer(handle);
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  stops.push(
    () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  );
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

/** The gateway on a real Node server (kit's serveNode), uploads relayed with Node streams. */
async function nodeGateway(imageUrl: string, waits: Partial<ImageFileWaits> = {}, fetched: string[] = []) {
  const keys = await createTokenKeys();
  const none = createRouterTransport(() => {});
  const app = createApp({
    transports: { auth: none, user: none, image: none, comment: none },
    imageFiles: {
      instance: async () => imageUrl,
      // Counted: on HTTP/1.1 the Node relay must carry uploads, not fetch.
      fetch: (input, init) => {
        fetched.push(String(input));
        return globalThis.fetch(input, init);
      },
      waits: { ...defaultImageFileWaits, ...waits },
      uploads: nodeUploadRelay(),
    },
    verifier: createAccessTokenVerifier({ issuer, jwks: async () => ({ keys: [keys.publicJwk] }) }),
    logger: createLogger({ service: "gateway-test", level: "silent" }),
    loginThrottle: createLoginThrottle({
      account: { maxFailures: 100, windowSeconds: 60 },
      client: { maxAttempts: 100, windowSeconds: 60 },
    }),
    clientAddress: () => undefined,
    corsOrigins: "*",
    maxJsonBodyBytes: 64 * 1024,
    maxUploadBytes: 20 * 1024 * 1024,
    readiness: async () => {},
  });
  const server: NodeServer = await serveNode({ app, port: 0, drainMs: 100 });
  stops.push(() => server.close());
  const authorization = `Bearer ${await keys.sign("0193a000-0000-7000-8000-00000000a11c")}`;
  return { url: server.url, authorization };
}

interface Sent {
  status: number;
  headers: IncomingHttpHeaders;
  body: string;
  /** Bytes of the body the client managed to hand to its socket. */
  written: number;
  /** SHA-256 of those bytes. */
  digest: string;
  /** Resolves once the gateway has closed the connection (its FIN came). */
  closed: Promise<void>;
}

/**
 * A raw HTTP/1.1 upload of `total` bytes in 64 KiB chunks, honouring backpressure and stopping as
 * soon as an answer comes; `gapMs` between chunks.
 */
function upload(
  url: string,
  authorization: string,
  opts: { total: number; contentLength?: boolean; gapMs?: number },
): Promise<Sent> {
  return new Promise((resolve, reject) => {
    const headers: Record<string, string> = {
      authorization,
      "content-type": "multipart/form-data; boundary=relay",
      cookie: "session=not-forwarded",
    };
    if (opts.contentLength) headers["content-length"] = String(opts.total);
    const req = request(new URL("/v1/images", url), { method: "POST", headers, agent: false });
    let written = 0;
    let answered = false;
    const sent = createHash("sha256");
    // The gateway's FIN: the end of what the client's socket can read.
    const closed = new Promise<void>((done) => req.once("socket", (socket) => socket.once("end", done)));
    req.on("error", (error) => {
      if (!answered) reject(error);
    });
    req.on("response", (response) => {
      answered = true;
      const chunks: Buffer[] = [];
      response.on("data", (chunk: Buffer) => chunks.push(chunk));
      response.on("end", () =>
        resolve({
          status: response.statusCode ?? 0,
          headers: response.headers,
          body: Buffer.concat(chunks).toString(),
          written,
          digest: sent.digest("hex"),
          closed,
        }),
      );
    });
    const send = async (): Promise<void> => {
      while (written < opts.total && !answered && !req.destroyed) {
        const size = Math.min(64 * 1024, opts.total - written);
        const chunk = Buffer.alloc(size).map((_, i) => (written + i) % 251);
        sent.update(chunk);
        written += size;
        if (!req.write(chunk)) {
          await new Promise<void>((drained) => {
            const done = (): void => {
              req.off("drain", done);
              req.off("close", done);
              drained();
            };
            req.on("drain", done);
            req.on("close", done);
          });
        }
        if (opts.gapMs) await new Promise((wait) => setTimeout(wait, opts.gapMs));
      }
      if (!answered && !req.destroyed) req.end();
    };
    void send();
  });
}

/** Counts a request's body as it arrives. */
function counted(request: IncomingMessage): {
  bytes: () => number;
  digest: () => string;
  ended: Promise<"complete" | "cut">;
} {
  let bytes = 0;
  const hash = createHash("sha256");
  request.on("data", (chunk: Buffer) => {
    bytes += chunk.byteLength;
    hash.update(chunk);
  });
  const ended = new Promise<"complete" | "cut">((resolve) => {
    request.once("end", () => resolve("complete"));
    request.once("close", () => resolve(request.complete ? "complete" : "cut"));
  });
  return { bytes: () => bytes, digest: () => hash.digest("hex"), ended };
}

describe("POST /v1/images on Node (the node:http relay)", () => {
  it("streams the body through intact, forwards only the upload's headers and passes the 201 on", async () => {
    let seen: { headers: IncomingHttpHeaders; bytes: number; digest: string } | undefined;
    const image = await imageServer(async (req, res) => {
      const body = counted(req);
      await body.ended;
      seen = { headers: req.headers, bytes: body.bytes(), digest: body.digest() };
      res.writeHead(201, { "content-type": "application/json", location: "/v1/images/img-1" });
      res.end(JSON.stringify({ id: "img-1" }));
    });
    const fetched: string[] = [];
    const gateway = await nodeGateway(image, {}, fetched);
    for (const contentLength of [true, false]) {
      const sent = await upload(gateway.url, gateway.authorization, { total: 3 * MiB + 5, contentLength });
      expect(sent.status).toBe(201);
      expect(sent.headers.location).toBe("/v1/images/img-1");
      expect(JSON.parse(sent.body)).toEqual({ id: "img-1" });
      expect(seen?.bytes).toBe(3 * MiB + 5);
      expect(seen?.digest).toBe(sent.digest); // every byte intact, in order
      expect(seen?.headers.authorization).toBe(gateway.authorization);
      expect(seen?.headers["content-type"]).toBe("multipart/form-data; boundary=relay");
      expect(seen?.headers.cookie).toBeUndefined();
    }
    expect(fetched).toHaveLength(0);
  });

  it("leaves HTTP/2 requests to the fetch path", async () => {
    const image = await imageServer(async (req, res) => {
      const body = counted(req);
      await body.ended;
      res.writeHead(201, { "content-type": "application/json" });
      res.end(JSON.stringify({ bytes: body.bytes() }));
    });
    const fetched: string[] = [];
    const gateway = await nodeGateway(image, {}, fetched);
    const session = connect(gateway.url);
    try {
      const stream = session.request({
        ":method": "POST",
        ":path": "/v1/images",
        authorization: gateway.authorization,
        "content-type": "multipart/form-data; boundary=relay",
      });
      stream.end(Buffer.alloc(100_000, 0x62));
      const chunks: Buffer[] = [];
      stream.on("data", (chunk: Buffer) => chunks.push(chunk));
      const status = await new Promise<number>((resolve) =>
        stream.once("response", (headers) => resolve(Number(headers[":status"]))),
      );
      await new Promise((resolve) => stream.once("end", resolve));
      expect(status).toBe(201);
      expect(JSON.parse(Buffer.concat(chunks).toString())).toEqual({ bytes: 100_000 });
      expect(fetched).toHaveLength(1);
    } finally {
      session.close();
    }
  });

  it("checks the token before anything reaches image-service", async () => {
    let reached = false;
    const image = await imageServer((_req, res) => {
      reached = true;
      res.end();
    });
    const gateway = await nodeGateway(image);
    const sent = await upload(gateway.url, "Bearer nope", { total: 1000, contentLength: true });
    expect(sent.status).toBe(401);
    expect(sent.headers["content-type"]).toContain("application/problem+json");
    expect(reached).toBe(false);
  });

  it("passes image-service's early 413 on without reading the rest, and closes the connection", async () => {
    let received = 0;
    const image = await imageServer((req, res) => {
      const body = counted(req);
      req.once("data", () => {
        req.pause();
        received = body.bytes();
        res.writeHead(413, { "content-type": "application/problem+json" });
        res.end(JSON.stringify({ type: "about:blank", title: "Content Too Large", status: 413 }));
      });
    });
    const gateway = await nodeGateway(image);
    const sent = await upload(gateway.url, gateway.authorization, { total: 200 * MiB });
    expect(sent.status).toBe(413);
    expect(sent.headers["content-type"]).toContain("application/problem+json");
    expect(sent.headers.connection).toBe("close");
    expect(JSON.parse(sent.body)).toMatchObject({ status: 413 });
    await sent.closed;
    expect(received).toBeGreaterThan(0);
    // Socket buffers on three hops, not the 200 MiB the client would have sent.
    expect(sent.written).toBeLessThan(16 * MiB);
  });

  it("answers 504 once image-service, holding the whole body, stays silent; a slow client is not timed", async () => {
    let received: Promise<"complete" | "cut"> | undefined;
    const image = await imageServer((req) => {
      received = counted(req).ended; // and never an answer
    });
    const gateway = await nodeGateway(image, { uploadMs: 300 });
    const started = Date.now();
    const sent = await upload(gateway.url, gateway.authorization, { total: 3 * 64 * 1024, gapMs: 450 });
    expect(sent.status).toBe(504);
    expect(JSON.parse(sent.body)).toMatchObject({ status: 504, title: "Gateway Timeout" });
    expect(sent.body).toContain("may have been stored");
    expect(sent.body).not.toContain("127.0.0.1");
    expect(await received).toBe("complete");
    expect(Date.now() - started).toBeGreaterThanOrEqual(3 * 450 + 300 - 20);
  });

  it("answers 504 when image-service takes none of the body", async () => {
    const image = await imageServer((req) => {
      req.pause(); // reads nothing, answers nothing
    });
    const gateway = await nodeGateway(image, { uploadMs: 300 });
    const sent = await upload(gateway.url, gateway.authorization, { total: 200 * MiB });
    expect(sent.status).toBe(504);
    expect(sent.headers["content-type"]).toContain("application/problem+json");
    expect(sent.written).toBeLessThan(32 * MiB);
  });

  it("cuts image-service's request when the client leaves mid-upload, and keeps serving", async () => {
    const uploads: Promise<"complete" | "cut">[] = [];
    const image = await imageServer(async (req, res) => {
      const body = counted(req);
      uploads.push(body.ended);
      if ((await body.ended) === "complete") {
        res.writeHead(201, { "content-type": "application/json" });
        res.end(JSON.stringify({ id: "img-2" }));
      }
    });
    const gateway = await nodeGateway(image);
    const req = request(new URL("/v1/images", gateway.url), {
      method: "POST",
      headers: {
        authorization: gateway.authorization,
        "content-type": "multipart/form-data; boundary=relay",
        "content-length": String(10 * MiB),
      },
    });
    req.on("error", () => {});
    req.write(Buffer.alloc(MiB, 0x61));
    await expect.poll(() => uploads.length).toBe(1);
    req.destroy();
    expect(await uploads[0]).toBe("cut");

    const next = await upload(gateway.url, gateway.authorization, { total: 1000, contentLength: true });
    expect(next.status).toBe(201);
    expect(await uploads[1]).toBe("complete");
  });

  it("answers 503 without internals when image-service cannot be reached", async () => {
    const image = await imageServer(() => {});
    await stops.pop()?.(); // closed: nothing listens there any more
    const gateway = await nodeGateway(image);
    const sent = await upload(gateway.url, gateway.authorization, { total: 1000, contentLength: true });
    expect(sent.status).toBe(503);
    expect(sent.body).not.toContain("127.0.0.1");
  });
});
