import { Code, ConnectError, createClient } from "@connectrpc/connect";
import { createConnectTransport, createGrpcWebTransport } from "@connectrpc/connect-web";
import { AuthService } from "@instagram/contracts/auth";
import { describe, expect, it } from "vitest";
import { createServiceApp } from "./service-app.ts";

function appWith(readiness: () => Promise<void>, maxBodyBytes?: number) {
  return createServiceApp({
    name: "auth",
    readiness,
    maxBodyBytes,
    routes: (router) =>
      router.service(AuthService, {
        async getJwks() {
          return { jwksJson: '{"keys":[]}' };
        },
        async login(req) {
          return { tokens: { accessToken: req.username } };
        },
      }),
  });
}

describe("createServiceApp", () => {
  it("answers liveness, and readiness from its dependency", async () => {
    let databaseUp = true;
    const app = appWith(async () => {
      if (!databaseUp) throw new Error("connect ECONNREFUSED 10.0.0.7:5432");
    });

    const health = await app.request("/healthz");
    expect(health.status).toBe(200);
    expect(await health.json()).toMatchObject({ status: "ok" });
    expect((await app.request("/readyz")).status).toBe(200);

    databaseUp = false;
    const notReady = await app.request("/readyz");
    expect(notReady.status).toBe(503);
    expect(notReady.headers.get("content-type")).toBe("application/problem+json");
    const problem = await notReady.json();
    expect(problem).toMatchObject({ status: 503, title: "Service Unavailable" });
    expect(JSON.stringify(problem)).not.toContain("10.0.0.7");
  });

  it("serves Connect and gRPC-web through fetch", async () => {
    const app = appWith(async () => {});
    const fetchApp: typeof fetch = async (input, init) => app.fetch(new Request(input, init));
    const connect = createClient(
      AuthService,
      createConnectTransport({ baseUrl: "http://auth", fetch: fetchApp }),
    );
    const grpcWeb = createClient(
      AuthService,
      createGrpcWebTransport({ baseUrl: "http://auth", fetch: fetchApp }),
    );

    expect((await connect.getJwks({})).jwksJson).toBe('{"keys":[]}');
    expect((await grpcWeb.login({ username: "ada", password: "x" })).tokens?.accessToken).toBe("ada");
    const unimplemented = await connect.logout({}).then(
      () => undefined,
      (error: unknown) => ConnectError.from(error),
    );
    expect(unimplemented?.code).toBe(Code.Unimplemented);
  });

  it("counts requests by service, route and status in /metrics", async () => {
    const app = appWith(async () => {});
    await app.request("/healthz");
    await app.request("/no/such/path");
    const metrics = await (await app.request("/metrics")).text();
    expect(metrics).toMatch(
      /http_requests_total\{[^}]*service="auth"[^}]*route="\/healthz"[^}]*status="200"\} \d+/,
    );
    expect(metrics).toMatch(/http_requests_total\{[^}]*route="unmatched"[^}]*status="404"\}/);
    expect(metrics).toContain("http_request_duration_seconds_bucket");
    expect(metrics).toContain("process_cpu_user_seconds_total");
  });

  it("refuses bodies over the limit: 413 for HTTP, ResourceExhausted for Connect", async () => {
    const app = appWith(async () => {}, 1024);
    const big = "x".repeat(4096);
    const plain = await app.request("/anything", { method: "POST", body: big });
    expect(plain.status).toBe(413);
    expect(plain.headers.get("content-type")).toBe("application/problem+json");

    const fetchApp: typeof fetch = async (input, init) => app.fetch(new Request(input, init));
    const client = createClient(
      AuthService,
      createConnectTransport({ baseUrl: "http://auth", fetch: fetchApp }),
    );
    const error = await client.login({ username: big, password: "x" }).then(
      () => undefined,
      (e: unknown) => ConnectError.from(e),
    );
    expect(error?.code).toBe(Code.ResourceExhausted);
  });

  it("lets raw-body routes read a chunked body past the limit, and limits every other route", async () => {
    const received: number[] = [];
    const app = createServiceApp({
      name: "image",
      readiness: async () => {},
      maxBodyBytes: 1024,
      routes: () => {},
      rawBodyRoutes: (raw) => {
        raw.post("/uploads", async (c) => {
          let bytes = 0;
          const reader = c.req.raw.body?.getReader();
          for (let read = await reader?.read(); read && !read.done; read = await reader?.read()) {
            received.push(read.value.byteLength);
            bytes += read.value.byteLength;
          }
          return c.json({ bytes }, 201);
        });
      },
    });
    const chunked = () =>
      new ReadableStream<Uint8Array>({
        start(controller) {
          for (let i = 0; i < 8; i++) controller.enqueue(new Uint8Array(512));
          controller.close();
        },
      });
    const post = (path: string) =>
      app.request(path, { method: "POST", body: chunked(), duplex: "half" } as RequestInit);

    const upload = await post("/uploads");
    expect(upload.status).toBe(201);
    expect(await upload.json()).toEqual({ bytes: 4096 });
    expect(received.length).toBeGreaterThan(1); // streamed, not buffered into one piece first
    expect((await post("/elsewhere")).status).toBe(413);
    const metrics = await (await app.request("/metrics")).text();
    expect(metrics).toMatch(
      /http_requests_total\{[^}]*service="image"[^}]*route="\/uploads"[^}]*status="201"\}/,
    );
  });

  it("answers unknown paths with a problem document", async () => {
    const response = await appWith(async () => {}).request("/nope");
    expect(response.status).toBe(404);
    expect(await response.json()).toMatchObject({ status: 404, title: "Not Found" });
  });
});
