import * as net from "node:net";
import { Hono } from "hono";
import { afterEach, describe, expect, it } from "vitest";
import type { HttpTimeouts } from "./http1-edge.ts";
import { type NodeServer, serveNode } from "./node-server.ts";

let running: NodeServer[] = [];
afterEach(async () => {
  await Promise.all(running.map((server) => server.close()));
  running = [];
});

/** An app that reads the whole body of POST /upload and says how many bytes it got. */
async function start(timeouts?: HttpTimeouts): Promise<NodeServer> {
  const app = new Hono();
  // A body cut short fails the read; that is the point here, not worth a log line.
  app.onError((_error, c) => c.text("cut", 500));
  app.get("/hello", (c) => c.text("hello"));
  app.post("/upload", async (c) => c.json({ bytes: (await c.req.arrayBuffer()).byteLength }));
  app.post("/refuse", (c) => c.json({ refused: true }, 413, { connection: "close" }));
  const server = await serveNode({ app, port: 0, drainMs: 100, timeouts });
  running.push(server);
  return server;
}

interface RawAnswer {
  text: string;
  /** When the server closed the connection, in ms since the socket connected. */
  closedAfterMs: number;
}

/** Opens a raw socket, lets `talk` write to it, and collects everything until the server closes it. */
function raw(server: NodeServer, talk: (socket: net.Socket) => void, giveUpMs = 10_000): Promise<RawAnswer> {
  return new Promise((resolve, reject) => {
    const started = Date.now();
    const socket = net.connect(server.port, "127.0.0.1", () => talk(socket));
    const chunks: Buffer[] = [];
    const timer = setTimeout(() => {
      socket.destroy();
      reject(new Error(`the server kept the connection open for ${giveUpMs} ms`));
    }, giveUpMs);
    socket.on("data", (chunk) => chunks.push(chunk));
    socket.on("error", () => {});
    socket.on("close", () => {
      clearTimeout(timer);
      const text = Buffer.concat(chunks).toString("latin1");
      resolve({ text, closedAfterMs: Date.now() - started });
    });
  });
}

function statusOf(answer: RawAnswer): number {
  return Number(/^HTTP\/1\.1 (\d{3})/.exec(answer.text)?.[1]);
}

function problemOf(answer: RawAnswer): { status: number; title: string; detail: string } {
  expect(answer.text).toMatch(/\r\ncontent-type: application\/problem\+json\r\n/i);
  return JSON.parse(answer.text.slice(answer.text.indexOf("\r\n\r\n") + 4));
}

describe("the HTTP/1.1 edge of a Node port", () => {
  it("answers a URL over 16 KiB with 414 problem+json, not a bare 400", async () => {
    const server = await start();
    const answer = await raw(server, (socket) =>
      socket.write(`GET /hello?q=${"a".repeat(20_000)} HTTP/1.1\r\nhost: x\r\n\r\n`),
    );
    expect(statusOf(answer)).toBe(414);
    expect(problemOf(answer)).toMatchObject({ status: 414, title: "URI Too Long" });
  });

  it("answers headers over 16 KiB with 431 problem+json", async () => {
    const server = await start();
    const answer = await raw(server, (socket) =>
      socket.write(`GET /hello HTTP/1.1\r\nhost: x\r\nx-big: ${"b".repeat(20_000)}\r\n\r\n`),
    );
    expect(statusOf(answer)).toBe(431);
    expect(problemOf(answer)).toMatchObject({ status: 431 });
  });

  it("answers a malformed request with 400 problem+json", async () => {
    const server = await start();
    const answer = await raw(server, (socket) => socket.write("GET /hello HTTP/1.1\r\nbad header\r\n\r\n"));
    expect(statusOf(answer)).toBe(400);
    expect(problemOf(answer)).toMatchObject({ status: 400 });
  });

  it("answers a request no URL can be made of with 400 problem+json and closes, rather than hanging", async () => {
    const server = await start();
    const requests = [
      "GET /hello HTTP/1.0\r\n\r\n",
      "GET /hello HTTP/1.1\r\nhost: [\r\n\r\n",
      "GET http://[/hello HTTP/1.1\r\nhost: x\r\n\r\n",
      "OPTIONS * HTTP/1.1\r\nhost: x\r\n\r\n",
    ];
    for (const request of requests) {
      const answer = await raw(server, (socket) => socket.write(request), 3_000);
      expect(statusOf(answer), request).toBe(400);
      expect(problemOf(answer)).toMatchObject({ status: 400 });
    }
  });

  it("still serves ordinary requests and keeps the connection alive", async () => {
    const server = await start({ keepAliveMs: 300 });
    const answer = await raw(server, (socket) => {
      socket.write("GET /hello HTTP/1.1\r\nhost: x\r\n\r\n");
      setTimeout(() => socket.write("GET /hello HTTP/1.1\r\nhost: x\r\n\r\n"), 100);
    });
    expect(answer.text.match(/HTTP\/1\.1 200 OK/g)).toHaveLength(2);
    // closed by the keep-alive timeout, not at once
    expect(answer.closedAfterMs).toBeGreaterThanOrEqual(300);
  });

  it("cuts a client that dribbles its headers (slowloris) with 408", async () => {
    const server = await start({ headersMs: 400, requestMs: 5_000 });
    let writer: NodeJS.Timeout | undefined;
    const answer = await raw(server, (socket) => {
      socket.write("GET /hello HTTP/1.1\r\nhost: x\r\n");
      writer = setInterval(() => socket.writable && socket.write("x-a: b\r\n"), 50);
    });
    clearInterval(writer);
    expect(statusOf(answer)).toBe(408);
    expect(problemOf(answer)).toMatchObject({ status: 408, title: "Request Timeout" });
    expect(answer.closedAfterMs).toBeLessThan(3_000);
  });

  it("closes a connection that says nothing within the headers timeout", async () => {
    const server = await start({ headersMs: 300, requestMs: 5_000 });
    const answer = await raw(server, () => {});
    expect(answer.text).toBe("");
    expect(answer.closedAfterMs).toBeLessThan(3_000);
  });

  it("answers 408 and closes when a body stops arriving, the socket held open", async () => {
    const server = await start({ bodyIdleMs: 400 });
    const answer = await raw(server, (socket) => {
      socket.write("POST /upload HTTP/1.1\r\nhost: x\r\ncontent-type: application/octet-stream\r\n");
      socket.write("content-length: 100000\r\n\r\n");
      socket.write(Buffer.alloc(50_000));
    });
    expect(statusOf(answer)).toBe(408);
    expect(problemOf(answer).detail).toMatch(/body/);
    expect(answer.closedAfterMs).toBeLessThan(3_000);
  });

  it("lets a slow but steady body through", async () => {
    const server = await start({ bodyIdleMs: 300 });
    const answer = await raw(server, (socket) => {
      socket.write("POST /upload HTTP/1.1\r\nhost: x\r\nconnection: close\r\ncontent-length: 10\r\n\r\n");
      let sent = 0;
      const writer = setInterval(() => {
        socket.write("x");
        if (++sent === 10) clearInterval(writer);
      }, 100);
    });
    expect(statusOf(answer)).toBe(200);
    expect(answer.text).toContain('{"bytes":10}');
  });

  it("answers 408 when a whole request takes longer than the request timeout", async () => {
    const server = await start({ headersMs: 200, requestMs: 600, bodyIdleMs: 10_000 });
    let writer: NodeJS.Timeout | undefined;
    const answer = await raw(server, (socket) => {
      socket.write("POST /upload HTTP/1.1\r\nhost: x\r\ncontent-length: 1000\r\n\r\n");
      writer = setInterval(() => socket.writable && socket.write("x"), 50);
    });
    clearInterval(writer);
    expect(statusOf(answer)).toBe(408);
    expect(answer.closedAfterMs).toBeLessThan(3_000);
  });

  it("answers before reading a body it refuses, then lingers unread rather than resetting at once", async () => {
    const server = await start();
    let sent = 0;
    const answer = await raw(server, (socket) => {
      socket.write("POST /refuse HTTP/1.1\r\nhost: x\r\ncontent-length: 1073741824\r\n\r\n");
      const chunk = Buffer.alloc(1024 * 1024);
      const pump = (): void => {
        while (!socket.destroyed && socket.writable && sent < 1024 * 1024 * 1024) {
          sent += chunk.length;
          if (!socket.write(chunk)) {
            socket.once("drain", pump);
            return;
          }
        }
      };
      pump();
    });
    expect(statusOf(answer)).toBe(413);
    expect(answer.text).toContain('{"refused":true}');
    // Not reset while the client was still sending (that reset could beat the answer to it): the
    // connection stayed for the linger (2 s) …
    expect(answer.closedAfterMs).toBeGreaterThanOrEqual(1_500);
    // … and nothing was read meanwhile: the client wrote only what the sockets' buffers took.
    expect(sent).toBeLessThan(128 * 1024 * 1024);
  });

  it("answers Expect: 100-continue with a refusal alone when the app refuses from the headers", async () => {
    const server = await start();
    const answer = await raw(server, (socket) => {
      socket.write(
        "POST /refuse HTTP/1.1\r\nhost: x\r\ncontent-length: 1073741824\r\nexpect: 100-continue\r\n\r\n",
      );
    });
    expect(answer.text).not.toContain("100 Continue");
    expect(statusOf(answer)).toBe(413);
  });

  it("sends 100 Continue once the app reads the body, then takes it", async () => {
    const server = await start();
    const answer = await raw(server, (socket) => {
      socket.write(
        "POST /upload HTTP/1.1\r\nhost: x\r\ncontent-length: 5\r\nexpect: 100-continue\r\nconnection: close\r\n\r\n",
      );
      socket.once("data", (first: Buffer) => {
        expect(first.toString("latin1")).toMatch(/^HTTP\/1\.1 100 Continue\r\n\r\n/);
        socket.write("hello");
      });
    });
    expect(answer.text).toMatch(/HTTP\/1\.1 200 OK[\s\S]*\{"bytes":5\}$/);
  });
});
