import { once } from "node:events";
import { createServer, type IncomingMessage } from "node:http";
import type { AddressInfo } from "node:net";
import { trace } from "@opentelemetry/api";
import { describe, expect, it, onTestFinished } from "vitest";
import { startTracing } from "./node.ts";
import { kitTracer } from "./trace-context.ts";

interface Received {
  path: string | undefined;
  contentType: string | undefined;
  body: string;
}

describe("startTracing", () => {
  it("exports spans over OTLP/HTTP to <endpoint>/v1/traces, flushed at shutdown", async () => {
    const received: Received[] = [];
    const collector = createServer(async (req: IncomingMessage, res) => {
      const chunks: Buffer[] = [];
      for await (const chunk of req) chunks.push(chunk as Buffer);
      received.push({
        path: req.url,
        contentType: req.headers["content-type"],
        body: Buffer.concat(chunks).toString(),
      });
      res.writeHead(200, { "content-type": "application/json" }).end("{}");
    });
    collector.listen(0, "127.0.0.1");
    await once(collector, "listening");
    onTestFinished(() => new Promise<void>((resolve) => collector.close(() => resolve())));
    const { port } = collector.address() as AddressInfo;

    const tracing = await startTracing({
      serviceName: "kit-otlp-test",
      otlpEndpoint: `http://127.0.0.1:${port}/`,
    });
    const second = await startTracing({ serviceName: "ignored" });
    await second.shutdown(); // the first start still holds the SDK
    kitTracer().startSpan("exported work").end();
    expect(received).toEqual([]); // batched until flushed
    await tracing.shutdown();

    expect(received).toHaveLength(1);
    expect(received[0]?.path).toBe("/v1/traces");
    expect(received[0]?.body).toContain("kit-otlp-test");
    expect(received[0]?.body).toContain("exported work");
    // Unregistered: spans are no-ops again.
    expect(kitTracer().startSpan("after").isRecording()).toBe(false);
    expect(trace.getActiveSpan()).toBeUndefined();
  });

  it("refuses a second exporter while tracing is running", async () => {
    const tracing = await startTracing({ serviceName: "kit-test" });
    onTestFinished(() => tracing.shutdown());
    await expect(
      startTracing({
        serviceName: "kit-test",
        exporter: { export: () => {}, shutdown: async () => {} },
      }),
    ).rejects.toThrow(/already started/);
  });
});
