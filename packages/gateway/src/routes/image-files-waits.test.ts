import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import { createTestbed, problemOf } from "../testing/testbed.ts";

const servers: { close(): Promise<void> }[] = [];
afterEach(async () => {
  for (const server of servers.splice(0)) await server.close();
});

/** A real image-service stand-in on a local port, reached with the real fetch. */
async function imageServer(handle: (request: IncomingMessage, response: ServerResponse) => void) {
  const server = createServer(handle);
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  const running = {
    url: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
  servers.push(running);
  return running;
}

/** Counts the body's bytes as they arrive; `whole` resolves with the total at its end. */
function receive(request: IncomingMessage): { whole: Promise<number> } {
  let bytes = 0;
  request.on("data", (chunk: Buffer) => {
    bytes += chunk.byteLength;
  });
  return { whole: new Promise((resolve) => request.on("end", () => resolve(bytes))) };
}

/** A client that sends `chunks` pieces of `size` bytes, `gapMs` apart. */
function slowBody(chunks: number, size: number, gapMs: number): ReadableStream<Uint8Array> {
  let sent = 0;
  return new ReadableStream<Uint8Array>(
    {
      async pull(controller) {
        if (sent === chunks) return controller.close();
        if (sent > 0) await new Promise((resolve) => setTimeout(resolve, gapMs));
        sent += 1;
        controller.enqueue(new Uint8Array(size));
      },
    },
    { highWaterMark: 0 },
  );
}

async function gatewayTo(url: string, waits: { uploadMs?: number; contentMs?: number }) {
  const gateway = await createTestbed({
    imageInstance: async () => url,
    imageFetch: globalThis.fetch,
    imageFileWaits: waits,
  });
  const alice = await gateway.signedUp("alice");
  const upload = (body: BodyInit) =>
    gateway.request("/v1/images", {
      method: "POST",
      token: alice.authorization,
      headers: { "content-type": "multipart/form-data; boundary=slow" },
      body,
      duplex: "half",
    } as RequestInit);
  return { gateway, upload };
}

describe("POST /v1/images when image-service keeps the gateway waiting", () => {
  it("answers 504 once image-service, holding the whole body, stays silent; a slow client is not timed", async () => {
    let received: Promise<number> | undefined;
    const server = await imageServer((request) => {
      received = receive(request).whole; // and never an answer
    });
    const { upload } = await gatewayTo(server.url, { uploadMs: 300 });
    const startedAt = Date.now();
    const response = await upload(slowBody(3, 1000, 500));
    const elapsed = Date.now() - startedAt;

    expect(response.status).toBe(504);
    const problem = await problemOf(response);
    expect(problem).toMatchObject({ status: 504, title: "Gateway Timeout" });
    expect(problem.detail).toContain("may have been stored");
    expect(JSON.stringify(problem)).not.toContain("127.0.0.1");
    expect(await received).toBe(3000);
    // Two 500 ms gaps of the client's, each longer than the wait, then the wait for the answer.
    expect(elapsed).toBeGreaterThanOrEqual(1000 + 300 - 20);
  });

  it("passes the answer on when a client slower than the wait sends everything", async () => {
    const server = await imageServer(async (request, response) => {
      const bytes = await receive(request).whole;
      response.writeHead(201, { "content-type": "application/json", location: "/v1/images/img-1" });
      response.end(JSON.stringify({ id: "img-1", bytes }));
    });
    const { upload } = await gatewayTo(server.url, { uploadMs: 300 });
    const response = await upload(slowBody(3, 1000, 500));
    expect(response.status).toBe(201);
    expect(response.headers.get("location")).toBe("/v1/images/img-1");
    expect(await response.json()).toEqual({ id: "img-1", bytes: 3000 });
  });

  it("answers 504 when image-service takes none of the body", async () => {
    let pulled = 0;
    const endless = new ReadableStream<Uint8Array>(
      {
        pull(controller) {
          pulled += 1;
          controller.enqueue(new Uint8Array(64 * 1024));
        },
      },
      { highWaterMark: 0 },
    );
    const gateway = await createTestbed({
      imageFileWaits: { uploadMs: 200 },
      // Takes nothing and never answers; gives up as fetch does when the signal aborts.
      imageFiles: (request) =>
        new Promise((_, reject) => {
          request.signal.addEventListener("abort", () => reject(request.signal.reason));
        }),
    });
    const alice = await gateway.signedUp("alice");
    const response = await gateway.request("/v1/images", {
      method: "POST",
      token: alice.authorization,
      headers: { "content-type": "multipart/form-data; boundary=endless" },
      body: endless,
      duplex: "half",
    } as RequestInit);
    expect(response.status).toBe(504);
    expect(pulled).toBeLessThanOrEqual(1);
  });
});

describe("GET /v1/images/{id}/content when image-service keeps the gateway waiting", () => {
  it("answers 504 when no headers come", async () => {
    const server = await imageServer(() => {});
    const { gateway } = await gatewayTo(server.url, { contentMs: 200 });
    const startedAt = Date.now();
    const response = await gateway.request("/v1/images/img-1/content");
    expect(response.status).toBe(504);
    expect(Date.now() - startedAt).toBeGreaterThanOrEqual(200 - 20);
    expect(await problemOf(response)).toMatchObject({
      status: 504,
      detail: "The image service did not answer in time; try again shortly.",
    });
  });

  it("lets a file whose headers came in time take longer than the wait to stream", async () => {
    const server = await imageServer((_request, response) => {
      response.writeHead(200, { "content-type": "image/png", "content-length": "8" });
      response.write(new Uint8Array([1, 2, 3, 4]));
      setTimeout(() => response.end(new Uint8Array([5, 6, 7, 8])), 600);
    });
    const { gateway } = await gatewayTo(server.url, { contentMs: 200 });
    const response = await gateway.request("/v1/images/img-1/content");
    expect(response.status).toBe(200);
    expect([...new Uint8Array(await response.arrayBuffer())]).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
  });
});
