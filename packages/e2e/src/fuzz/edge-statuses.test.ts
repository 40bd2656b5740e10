// The statuses the gateway's edge answers before any route (malformed HTTP, an over-long request
// line, oversized headers, a slow client, a body over the JSON limit), provoked through raw sockets
// on every operation of the served document: each must be a status the document lists for it.
import * as net from "node:net";
import { describe, expect, inject, it } from "vitest";
import { documents, fetchDocument, type Operation, operationsOf } from "./contract.ts";

const gatewayUrl = inject("gatewayUrl");
const operations = operationsOf(await fetchDocument(gatewayUrl));

/** The operation's path with each parameter filled (the edge answers before any route reads it). */
function pathOf(operation: Operation): string {
  return operation.path.replace(/\{([^}]+)\}/g, (_, name: string) =>
    /id$/i.test(name) ? "0195f3a8-7a1e-7000-8000-000000000000" : "someone",
  );
}

/** Writes `head` (and then nothing more), collects everything until the gateway closes the socket. */
function exchange(head: string, giveUpMs = 20_000): Promise<{ status: number; text: string }> {
  const { hostname, port } = new URL(gatewayUrl);
  return new Promise((resolve, reject) => {
    const socket = net.connect(Number(port), hostname, () => socket.write(head));
    const chunks: Buffer[] = [];
    const timer = setTimeout(() => {
      socket.destroy();
      reject(new Error(`the gateway kept the connection open for ${giveUpMs} ms`));
    }, giveUpMs);
    socket.on("data", (chunk) => chunks.push(chunk));
    // The gateway may close while the rest of a refused request is still being written.
    socket.on("error", () => {});
    socket.on("close", () => {
      clearTimeout(timer);
      const text = Buffer.concat(chunks).toString("latin1");
      resolve({ status: Number(/^HTTP\/1\.1 (\d{3})/.exec(text)?.[1] ?? 0), text });
    });
  });
}

/** What each provocation must get, whatever the operation. */
const provocations: { name: string; status: number; head: (method: string, path: string) => string }[] = [
  {
    name: "a malformed header line",
    status: 400,
    head: (method, path) => `${method} ${path} HTTP/1.1\r\nhost: x\r\nbad header: y\r\n\r\n`,
  },
  {
    name: "no Host (HTTP/1.0)",
    status: 400,
    head: (method, path) => `${method} ${path} HTTP/1.0\r\n\r\n`,
  },
  {
    name: "a request line over 16 KiB",
    status: 414,
    head: (method, path) => `${method} ${path}?q=${"a".repeat(17 * 1024)} HTTP/1.1\r\nhost: x\r\n\r\n`,
  },
  {
    name: "header fields over 16 KiB",
    status: 431,
    head: (method, path) =>
      `${method} ${path} HTTP/1.1\r\nhost: x\r\nx-big: ${"b".repeat(17 * 1024)}\r\n\r\n`,
  },
];

describe("the edge's answers are in the document, for every operation", () => {
  it("finds the operations in the served document", () => {
    expect(operations.length).toBeGreaterThan(0);
  });

  for (const { name, status, head } of provocations) {
    it(`${name}: ${status} problem+json, listed by every operation`, async () => {
      for (const operation of operations) {
        const answer = await exchange(head(operation.method, pathOf(operation)));
        expect(answer.status, `${operation.name}: ${answer.text.slice(0, 200)}`).toBe(status);
        expect(answer.text).toMatch(/\r\ncontent-type: application\/problem\+json\r\n/i);
        expect(documents(operation, status), `${status} for ${operation.name}`).toBe(true);
      }
    });
  }

  it("a JSON body over the limit: whatever the operation answers, it lists (413 but for GET and uploads)", async () => {
    const body = JSON.stringify({ padding: "x".repeat(96 * 1024) });
    for (const operation of operations) {
      const answer = await exchange(
        `${operation.method} ${pathOf(operation)} HTTP/1.1\r\nhost: x\r\ncontent-type: application/json\r\n` +
          `content-length: ${Buffer.byteLength(body)}\r\nconnection: close\r\n\r\n${body}`,
      );
      if (operation.method !== "GET" && operation.path !== "/v1/images") {
        expect(answer.status, operation.name).toBe(413);
      }
      expect(documents(operation, answer.status), `${answer.status} for ${operation.name}`).toBe(true);
    }
  });

  it("headers that never end: 408 within the headers timeout, listed by every operation", async () => {
    // All at once: each waits out the same timeout (HTTP_HEADERS_TIMEOUT_MS, 10 s by default).
    const answers = await Promise.all(
      operations.map((operation) =>
        exchange(`${operation.method} ${pathOf(operation)} HTTP/1.1\r\nhost: x\r\n`),
      ),
    );
    answers.forEach((answer, index) => {
      const operation = operations[index] as Operation;
      expect(answer.status, operation.name).toBe(408);
      expect(documents(operation, 408), `408 for ${operation.name}`).toBe(true);
    });
  }, 30_000);
});
