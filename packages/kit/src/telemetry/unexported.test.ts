import { type ConnectRouter, createClient } from "@connectrpc/connect";
import { AuthService } from "@instagram/contracts/auth";
import { trace } from "@opentelemetry/api";
import { Hono } from "hono";
import { afterAll, beforeAll, describe, expect, it, onTestFinished } from "vitest";
import { http2Instances } from "../discovery/http2.ts";
import { createStaticDiscovery } from "../discovery/static.ts";
import { createServiceTransport } from "../discovery/transport.ts";
import { type NodeServer, serveNode } from "../server/node-server.ts";
import { observeRequests } from "../server/observe.ts";
import { createServiceApp } from "../server/service-app.ts";
import { startTracing, type Tracing } from "./node.ts";
import { tracesExported } from "./trace-context.ts";

// Tracing registered without an exporter or endpoint: what `npm start` and an unconfigured
// distributed process run with.
let tracing: Tracing;
beforeAll(async () => {
  tracing = await startTracing({ serviceName: "kit-test" });
});
afterAll(() => tracing.shutdown());

const callerTrace = "0af7651916cd43dd8448eb211c80319c";
const traceparent = `00-${callerTrace}-b7ad6b7169203331-01`;

/** A front app calling an auth instance over gRPC; the auth instance answers with what it saw. */
async function frontAndBack(): Promise<{ front: NodeServer }> {
  const routes = (router: ConnectRouter) =>
    router.service(AuthService, {
      async getJwks(_req, ctx) {
        const span = trace.getActiveSpan();
        return {
          jwksJson: JSON.stringify({
            traceparent: ctx.requestHeader.get("traceparent"),
            recording: span?.isRecording() ?? false,
          }),
        };
      },
    });
  const back = await serveNode({
    name: "auth",
    app: createServiceApp({ name: "auth", routes, readiness: async () => {} }),
    routes,
  });
  onTestFinished(() => back.close());
  const auth = createClient(
    AuthService,
    createServiceTransport({
      discovery: createStaticDiscovery({ auth: [back.url] }),
      service: "auth",
      instances: http2Instances(),
    }),
  );
  const app = new Hono();
  app.use(observeRequests({ service: "front" }));
  app.get("/jwks", async (c) => {
    const during = trace.getActiveSpan()?.isRecording() ?? false;
    const seen = JSON.parse((await auth.getJwks({})).jwksJson) as object;
    return c.json({ ...seen, frontRecording: during });
  });
  const front = await serveNode({ app });
  onTestFinished(() => front.close());
  return { front };
}

describe("with no span exporter", () => {
  it("makes no spans, and carries an incoming traceparent on to the calls a request makes", async () => {
    expect(tracesExported()).toBe(false);
    const { front } = await frontAndBack();

    const traced = await (await fetch(`${front.url}/jwks`, { headers: { traceparent } })).json();
    expect(traced).toMatchObject({ frontRecording: false, recording: false });
    expect(String(traced.traceparent)).toContain(callerTrace);

    const untraced = await (await fetch(`${front.url}/jwks`)).json();
    expect(untraced).toMatchObject({ traceparent: null, frontRecording: false, recording: false });
  });
});
