import { Writable } from "node:stream";
import { timestampFromDate } from "@bufbuild/protobuf/wkt";
import { type ConnectRouter, createClient } from "@connectrpc/connect";
import { createGrpcTransport, Http2SessionManager } from "@connectrpc/connect-node";
import { AuthService } from "@instagram/contracts/auth";
import { context, SpanKind, trace } from "@opentelemetry/api";
import { InMemorySpanExporter, type ReadableSpan } from "@opentelemetry/sdk-trace";
import { eq } from "drizzle-orm";
import { afterAll, beforeAll, beforeEach, describe, expect, it, onTestFinished, vi } from "vitest";
import { newId } from "../db/ids.ts";
import { createStaticDiscovery } from "../discovery/static.ts";
import { createServiceTransport } from "../discovery/transport.ts";
import { startConsumer } from "../events/consumer.ts";
import { createInProcessBus } from "../events/in-process-bus.ts";
import { startOutboxRelay } from "../events/outbox-relay.ts";
import { openTestDatabase, type TestDatabase } from "../events/test-fixtures/database.ts";
import { testOutbox } from "../events/test-fixtures/follows.ts";
import { inbox, outbox } from "../events/test-fixtures/schema.ts";
import { createLogger, serviceLogger } from "../log/logger.ts";
import { serveNode } from "../server/node-server.ts";
import { createServiceApp } from "../server/service-app.ts";
import { startTracing, type Tracing } from "./node.ts";
import { activeTraceIds, kitTracer } from "./trace-context.ts";

const spans = new InMemorySpanExporter();
let tracing: Tracing;
beforeAll(async () => {
  tracing = await startTracing({ serviceName: "kit-test", exporter: spans });
});
afterAll(() => tracing.shutdown());
beforeEach(() => spans.reset());

/** Log lines written to memory, parsed. */
function memoryLog(): {
  destination: Writable;
  raw: () => string[];
  lines: () => Record<string, unknown>[];
} {
  const chunks: string[] = [];
  const destination = new Writable({
    write(chunk, _encoding, done) {
      chunks.push(String(chunk));
      done();
    },
  });
  const raw = () =>
    chunks
      .join("")
      .split("\n")
      .filter((line) => line !== "");
  return {
    destination,
    raw,
    lines: () => raw().map((line) => JSON.parse(line) as Record<string, unknown>),
  };
}

function traceparentParts(traceparent: string | undefined): { traceId: string; spanId: string } {
  const [, traceId, spanId] = /^00-([0-9a-f]{32})-([0-9a-f]{16})-0[01]$/.exec(traceparent ?? "") ?? [];
  if (traceId === undefined || spanId === undefined) throw new Error(`not a traceparent: ${traceparent}`);
  return { traceId, spanId };
}

function onlySpan(kind: SpanKind, name?: string): ReadableSpan {
  const matching = spans
    .getFinishedSpans()
    .filter((span) => span.kind === kind && (name === undefined || span.name === name));
  expect(matching.map((span) => span.name)).toHaveLength(1);
  return matching[0] as ReadableSpan;
}

describe("tracing across HTTP, the outbox and a consumer", () => {
  let database: TestDatabase;
  beforeAll(async () => {
    database = await openTestDatabase();
  }, 60_000);
  afterAll(() => database.close());

  it("continues the caller's trace into the outbox row and the consumer's span", async () => {
    const log = memoryLog();
    const logger = createLogger({ service: "kit-test", level: "debug", destination: log.destination });
    const bus = createInProcessBus();
    onTestFinished(() => bus.close());
    const relay = startOutboxRelay({ db: database.db, table: outbox, bus, logger, pollIntervalMs: 50 });
    onTestFinished(() => relay.stop());
    const followeeId = newId();
    const handled: string[] = [];
    const consumer = await startConsumer({
      name: "kit-tracing-test",
      db: database.db,
      inbox,
      bus,
      logger,
      handlers: {
        users: {
          FOLLOWED: async (_tx, payload) => {
            logger.info({ followeeId: payload.followeeId }, "follow applied");
            handled.push(payload.followeeId);
          },
        },
      },
    });
    onTestFinished(() => consumer.stop());

    const app = createServiceApp({
      name: "kit-test",
      logger,
      readiness: async () => {},
      routes: (router) =>
        router.service(AuthService, {
          async login(req) {
            await database.db.transaction((tx) =>
              testOutbox.publish(tx, {
                topic: "users",
                type: "FOLLOWED",
                aggregateId: followeeId,
                payload: { followerId: req.username, followeeId, followedAt: timestampFromDate(new Date()) },
              }),
            );
            relay.kick();
            return {};
          },
        }),
    });

    const caller = { traceId: "4bf92f3577b34da6a3ce929d0e0e4736", spanId: "00f067aa0ba902b7" };
    const response = await app.request("/instagram.auth.v1.AuthService/Login", {
      method: "POST",
      headers: {
        "content-type": "application/json",
        traceparent: `00-${caller.traceId}-${caller.spanId}-01`,
      },
      body: JSON.stringify({ username: "alice", password: "secret" }),
    });
    expect(response.status).toBe(200);

    const [row] = await database.db.select().from(outbox).where(eq(outbox.aggregateId, followeeId));
    const stored = traceparentParts(row?.headers.traceparent);
    expect(stored.traceId).toBe(caller.traceId);

    await vi.waitFor(() => expect(handled).toEqual([followeeId]), { timeout: 5_000, interval: 25 });
    await vi.waitFor(() =>
      expect(spans.getFinishedSpans().some((s) => s.kind === SpanKind.CONSUMER)).toBe(true),
    );

    const server = onlySpan(SpanKind.SERVER, "instagram.auth.v1.AuthService/Login");
    expect(server.spanContext().traceId).toBe(caller.traceId);
    expect(server.parentSpanContext?.spanId).toBe(caller.spanId);
    expect(server.attributes["rpc.method"]).toBe("Login");

    const producer = onlySpan(SpanKind.PRODUCER, "users publish");
    expect(producer.parentSpanContext?.spanId).toBe(server.spanContext().spanId);
    expect(stored.spanId).toBe(producer.spanContext().spanId);

    const consumed = onlySpan(SpanKind.CONSUMER, "users process");
    expect(consumed.spanContext().traceId).toBe(caller.traceId);
    expect(consumed.parentSpanContext?.spanId).toBe(stored.spanId);
    expect(consumed.attributes["messaging.consumer.group.name"]).toBe("kit-tracing-test");

    const applied = log.lines().find((line) => line.msg === "follow applied");
    expect(applied).toMatchObject({
      service: "kit-test",
      trace_id: caller.traceId,
      span_id: consumed.spanContext().spanId,
    });
    const request = log.lines().find((line) => line.msg === "request");
    expect(request).toMatchObject({ trace_id: caller.traceId, span_id: server.spanContext().spanId });
  }, 60_000);
});

describe("createServiceTransport", () => {
  it("sends the active trace context as traceparent, from a client span", async () => {
    const sent: Headers[] = [];
    const fakeFetch: typeof globalThis.fetch = async (_input, init) => {
      sent.push(new Headers(init?.headers));
      return new Response(new Uint8Array(), {
        status: 200,
        headers: { "content-type": "application/proto" },
      });
    };
    const transport = createServiceTransport({
      discovery: createStaticDiscovery({ auth: ["http://auth.internal:8081"] }),
      service: "auth",
      fetch: fakeFetch,
    });
    const client = createClient(AuthService, transport);

    const outer = kitTracer().startSpan("handling a request");
    await context.with(trace.setSpan(context.active(), outer), () => client.getJwks({}));
    outer.end();

    expect(sent).toHaveLength(1);
    const traceparent = traceparentParts(sent[0]?.get("traceparent") ?? undefined);
    const call = onlySpan(SpanKind.CLIENT, "instagram.auth.v1.AuthService/GetJwks");
    expect(traceparent.traceId).toBe(outer.spanContext().traceId);
    expect(traceparent.spanId).toBe(call.spanContext().spanId);
    expect(call.parentSpanContext?.spanId).toBe(outer.spanContext().spanId);
  });

  it("outside any span, starts a trace of its own", async () => {
    const sent: Headers[] = [];
    const transport = createServiceTransport({
      discovery: createStaticDiscovery({ auth: ["http://auth.internal:8081"] }),
      service: "auth",
      fetch: async (_input, init) => {
        sent.push(new Headers(init?.headers));
        return new Response(new Uint8Array(), {
          status: 200,
          headers: { "content-type": "application/proto" },
        });
      },
    });
    await createClient(AuthService, transport).getJwks({});
    // The call's own client span starts a trace of its own.
    const call = onlySpan(SpanKind.CLIENT);
    expect(call.parentSpanContext).toBeUndefined();
    expect(traceparentParts(sent[0]?.get("traceparent") ?? undefined).traceId).toBe(
      call.spanContext().traceId,
    );
  });
});

describe("serveNode", () => {
  it("serves real gRPC in a server span continuing the caller's traceparent", async () => {
    const routes = (router: ConnectRouter) =>
      router.service(AuthService, {
        async getJwks() {
          return { jwksJson: JSON.stringify(activeTraceIds()) };
        },
      });
    const app = createServiceApp({ name: "kit-test", routes, readiness: async () => {} });
    const server = await serveNode({ name: "kit-test", app, routes, port: 0 });
    onTestFinished(() => server.close());
    const sessionManager = new Http2SessionManager(server.url);
    onTestFinished(() => sessionManager.abort());
    const caller = { traceId: "0af7651916cd43dd8448eb211c80319c", spanId: "b7ad6b7169203331" };
    const grpc = createClient(AuthService, createGrpcTransport({ baseUrl: server.url, sessionManager }));

    const answer = await grpc.getJwks(
      {},
      { headers: { traceparent: `00-${caller.traceId}-${caller.spanId}-01` } },
    );

    const span = onlySpan(SpanKind.SERVER, "instagram.auth.v1.AuthService/GetJwks");
    expect(span.attributes["rpc.system"]).toBe("grpc");
    expect(span.spanContext().traceId).toBe(caller.traceId);
    expect(span.parentSpanContext?.spanId).toBe(caller.spanId);
    expect(JSON.parse(answer.jwksJson)).toEqual({
      trace_id: caller.traceId,
      span_id: span.spanContext().spanId,
    });
  });
});

describe("serviceLogger", () => {
  it("names the service once, replacing the root's name", () => {
    const log = memoryLog();
    const root = createLogger({ service: "stack", destination: log.destination });
    serviceLogger(root, "auth").info("one");
    serviceLogger(root, "stack").info("two");
    serviceLogger(serviceLogger(root, "auth"), "user").child({ component: "relay" }).info("three");
    for (const line of log.raw()) expect(line.match(/"service":/g)).toHaveLength(1);
    expect(log.lines().map((line) => [line.msg, line.service])).toEqual([
      ["one", "auth"],
      ["two", "stack"],
      ["three", "user"],
    ]);
  });
});
