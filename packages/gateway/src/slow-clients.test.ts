import { createServer, type IncomingMessage } from "node:http";
import * as net from "node:net";
import { createRouterTransport } from "@connectrpc/connect";
import { createAccessTokenVerifier, createLogger, createLoginThrottle } from "@instagram/kit";
import { type NodeServer, serveNode } from "@instagram/kit/node";
import { afterEach, describe, expect, it } from "vitest";
import { createApp } from "./app.ts";
import { loadGatewayEnv } from "./env.ts";
import { listenOptionsOf } from "./listen.ts";
import { defaultImageFileWaits } from "./peers/image-service-http.ts";
import { nodeUploadRelay } from "./peers/node-upload-relay.ts";
import { createTokenKeys, issuer } from "./testing/token-keys.ts";

const stops: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const stop of stops.splice(0).reverse()) await stop();
});

/** image-service's upload route as a local server that reads the body and notes whether it ended. */
async function imageServer(seen: { ended: boolean; aborted: boolean }): Promise<string> {
  const server = createServer((request: IncomingMessage, response) => {
    request.on("data", () => {});
    request.on("end", () => {
      seen.ended = true;
      response.writeHead(201, { "content-type": "application/json" }).end("{}");
    });
    request.on("aborted", () => {
      seen.aborted = true;
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  stops.push(
    () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  );
  return `http://127.0.0.1:${(server.address() as net.AddressInfo).port}`;
}

/** The gateway on a real Node port with the timeouts its env gives (`variables`), uploads through the Node relay. */
async function gateway(variables: Record<string, string>, imageUrl = "http://127.0.0.1:9") {
  const keys = await createTokenKeys();
  const none = createRouterTransport(() => {});
  const app = createApp({
    transports: { auth: none, user: none, image: none, comment: none },
    imageFiles: {
      instance: async () => imageUrl,
      fetch: globalThis.fetch,
      waits: defaultImageFileWaits,
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
  const { timeouts } = listenOptionsOf(loadGatewayEnv(variables));
  const server: NodeServer = await serveNode({ app, port: 0, drainMs: 100, timeouts });
  stops.push(() => server.close());
  return { server, authorization: `Bearer ${await keys.sign("0193a000-0000-7000-8000-00000000a11c")}` };
}

interface RawAnswer {
  text: string;
  closedAfterMs: number;
}

function raw(server: NodeServer, talk: (socket: net.Socket) => void, giveUpMs = 10_000): Promise<RawAnswer> {
  return new Promise((resolve, reject) => {
    const started = Date.now();
    const socket = net.connect(server.port, "127.0.0.1", () => talk(socket));
    const chunks: Buffer[] = [];
    const timer = setTimeout(() => {
      socket.destroy();
      reject(new Error(`the gateway kept the connection open for ${giveUpMs} ms`));
    }, giveUpMs);
    socket.on("data", (chunk) => chunks.push(chunk));
    socket.on("error", () => {});
    socket.on("close", () => {
      clearTimeout(timer);
      resolve({ text: Buffer.concat(chunks).toString("latin1"), closedAfterMs: Date.now() - started });
    });
  });
}

const problemOf = (answer: RawAnswer) => JSON.parse(answer.text.slice(answer.text.indexOf("\r\n\r\n") + 4));

describe("slow and stalled clients at the gateway's port", () => {
  it("answers a multipart upload that stops halfway, socket held open, with 408 and closes", async () => {
    const seen = { ended: false, aborted: false };
    const { server, authorization } = await gateway(
      { HTTP_BODY_IDLE_TIMEOUT_MS: "500" },
      await imageServer(seen),
    );
    const boundary = "----stalled";
    const head =
      `--${boundary}\r\ncontent-disposition: form-data; name="file"; filename="a.png"\r\n` +
      "content-type: image/png\r\n\r\n";
    const answer = await raw(server, (socket) => {
      socket.write(
        `POST /v1/images HTTP/1.1\r\nhost: gateway\r\nauthorization: ${authorization}\r\n` +
          `content-type: multipart/form-data; boundary=${boundary}\r\ncontent-length: 200000\r\n\r\n`,
      );
      socket.write(head);
      socket.write(Buffer.alloc(100_000, 1)); // half, then nothing
    });
    expect(answer.text).toMatch(/^HTTP\/1\.1 408 /);
    expect(answer.text).toMatch(/\r\ncontent-type: application\/problem\+json\r\n/);
    expect(problemOf(answer)).toMatchObject({ status: 408, title: "Request Timeout" });
    expect(answer.closedAfterMs).toBeLessThan(5_000);
    expect(seen.ended).toBe(false);
  });

  it("cuts a client that dribbles its headers (slowloris) with 408", async () => {
    const { server } = await gateway({ HTTP_HEADERS_TIMEOUT_MS: "500" });
    let writer: NodeJS.Timeout | undefined;
    const answer = await raw(server, (socket) => {
      socket.write("GET /healthz HTTP/1.1\r\nhost: gateway\r\n");
      writer = setInterval(() => socket.writable && socket.write("x-slow: 1\r\n"), 100);
    });
    clearInterval(writer);
    expect(answer.text).toMatch(/^HTTP\/1\.1 408 /);
    expect(answer.closedAfterMs).toBeLessThan(5_000);
  });

  it("answers a URL over 16 KiB with 414 problem+json", async () => {
    const { server } = await gateway({});
    const answer = await raw(server, (socket) =>
      socket.write(`GET /v1/users?q=${"a".repeat(17 * 1024)} HTTP/1.1\r\nhost: gateway\r\n\r\n`),
    );
    expect(answer.text).toMatch(/^HTTP\/1\.1 414 /);
    expect(problemOf(answer)).toMatchObject({ status: 414, title: "URI Too Long" });
  });

  it("refuses a request timeout shorter than the headers timeout at start", async () => {
    await expect(
      gateway({ HTTP_HEADERS_TIMEOUT_MS: "5000", HTTP_REQUEST_TIMEOUT_MS: "1000" }),
    ).rejects.toThrow(/request timeout/);
  });
});
