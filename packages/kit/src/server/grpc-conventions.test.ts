import { createFileRegistry, fromBinary } from "@bufbuild/protobuf";
import { FileDescriptorProtoSchema } from "@bufbuild/protobuf/wkt";
import { createClient, type Transport } from "@connectrpc/connect";
import { createConnectTransport, createGrpcTransport, Http2SessionManager } from "@connectrpc/connect-node";
import { AuthService } from "@instagram/contracts/auth";
import {
  Health,
  reflectionV1,
  HealthCheckResponse_ServingStatus as ServingStatus,
} from "@instagram/contracts/grpc";
import { Hono } from "hono";
import { afterEach, describe, expect, it } from "vitest";
import { readinessOf, withGrpcConventions } from "./grpc-conventions.ts";
import { registerHealth } from "./grpc-health.ts";
import { type NodeServer, serveNode } from "./node-server.ts";
import { createServiceApp } from "./service-app.ts";

let running: NodeServer[] = [];
const sessions: Http2SessionManager[] = [];
afterEach(async () => {
  for (const session of sessions.splice(0)) session.abort();
  await Promise.all(running.map((server) => server.close()));
  running = [];
});

function grpcTo(url: string): Transport {
  const sessionManager = new Http2SessionManager(url);
  sessions.push(sessionManager);
  return createGrpcTransport({ baseUrl: url, sessionManager });
}

/** auth's GetJwks, health and reflection; ready while `state.ready`. */
async function serveAuth(state: { ready: boolean }): Promise<NodeServer> {
  const routes = (router: Parameters<typeof registerHealth>[0]) =>
    router.service(AuthService, { getJwks: () => ({ jwksJson: '{"keys":[]}' }) });
  const app = createServiceApp({
    name: "auth",
    routes,
    readiness: async () => {
      if (!state.ready) throw new Error("database down");
    },
  });
  const server = await serveNode({
    name: "auth",
    app,
    routes: withGrpcConventions(routes, { readiness: readinessOf(app) }),
    port: 0,
  });
  running.push(server);
  return server;
}

describe("grpc.health.v1.Health", () => {
  it("Check says what /readyz says, for the server and for each service it serves", async () => {
    const state = { ready: true };
    const server = await serveAuth(state);
    const health = createClient(Health, grpcTo(server.url));
    expect((await health.check({})).status).toBe(ServingStatus.SERVING);
    expect((await health.check({ service: "instagram.auth.v1.AuthService" })).status).toBe(
      ServingStatus.SERVING,
    );
    state.ready = false;
    expect((await fetch(`${server.url}/readyz`)).status).toBe(503);
    expect((await health.check({})).status).toBe(ServingStatus.NOT_SERVING);
    const listed = await health.list({});
    expect(Object.keys(listed.statuses).sort()).toEqual(["", "instagram.auth.v1.AuthService"]);
    await expect(health.check({ service: "instagram.user.v1.UserService" })).rejects.toMatchObject({
      code: 5, // NotFound
    });
  });

  it("Watch sends each change, and ends when the server stops", async () => {
    const state = { ready: true };
    const stopping = new AbortController();
    const app = new Hono();
    const server = await serveNode({
      app,
      routes: (router) =>
        registerHealth(router, {
          services: [],
          readiness: async () => {
            if (!state.ready) throw new Error("not ready");
          },
          stopping: stopping.signal,
          watchIntervalMs: 20,
        }),
      port: 0,
    });
    running.push(server);
    const seen: ServingStatus[] = [];
    const stream = createClient(Health, grpcTo(server.url)).watch({});
    for await (const answer of stream) {
      seen.push(answer.status);
      if (seen.length === 1) state.ready = false;
      if (seen.length === 2) stopping.abort();
    }
    expect(seen).toEqual([ServingStatus.SERVING, ServingStatus.NOT_SERVING]);
  });
});

describe("server reflection", () => {
  it("gives a symbol's file with its imports, enough to rebuild the service", async () => {
    const server = await serveAuth({ ready: true });
    const reflection = createClient(reflectionV1.ServerReflection, grpcTo(server.url));
    async function* asks() {
      yield { messageRequest: { case: "listServices" as const, value: "" } };
      yield {
        messageRequest: {
          case: "fileContainingSymbol" as const,
          value: "instagram.auth.v1.AuthService.Login",
        },
      };
      yield { messageRequest: { case: "fileByFilename" as const, value: "nothing.proto" } };
    }
    const answers = [];
    for await (const answer of reflection.serverReflectionInfo(asks())) answers.push(answer.messageResponse);

    const [list, file, missing] = answers;
    expect(
      list?.case === "listServicesResponse" && list.value.service.map((service) => service.name),
    ).toEqual([
      "grpc.health.v1.Health",
      "grpc.reflection.v1.ServerReflection",
      "grpc.reflection.v1alpha.ServerReflection",
      "instagram.auth.v1.AuthService",
    ]);
    if (file?.case !== "fileDescriptorResponse") throw new Error(`expected files, got ${file?.case}`);
    const protos = file.value.fileDescriptorProto.map((bytes) =>
      fromBinary(FileDescriptorProtoSchema, bytes),
    );
    expect(protos[0]?.name).toBe("instagram/auth/v1/auth.proto");
    const [asked] = protos;
    if (asked === undefined) throw new Error("no file");
    const rebuilt = createFileRegistry(asked, (name) => protos.find((proto) => proto.name === name));
    expect(rebuilt.getService("instagram.auth.v1.AuthService")?.methods.map((method) => method.name)).toEqual(
      AuthService.methods.map((method) => method.name),
    );
    expect(missing).toMatchObject({ case: "errorResponse", value: { errorCode: 5 } });
  });
});

describe("the gRPC port's other paths", () => {
  it("answers an unknown gRPC method Unimplemented and hands Connect over HTTP/2 to the app", async () => {
    const app = new Hono();
    app.post("/instagram.auth.v1.AuthService/GetJwks", (c) => c.json({ jwksJson: "from the app" }));
    const server = await serveNode({
      app,
      routes: withGrpcConventions(undefined, { readiness: async () => {} }),
      port: 0,
    });
    running.push(server);
    await expect(createClient(AuthService, grpcTo(server.url)).getJwks({})).rejects.toMatchObject({
      code: 12, // Unimplemented
      rawMessage: expect.stringContaining("no gRPC method /instagram.auth.v1.AuthService/GetJwks"),
    });
    const sessionManager = new Http2SessionManager(server.url);
    sessions.push(sessionManager);
    const overHttp2 = createConnectTransport({
      baseUrl: server.url,
      httpVersion: "2",
      sessionManager,
      useBinaryFormat: false,
    });
    expect((await createClient(AuthService, overHttp2).getJwks({})).jwksJson).toBe("from the app");
  });
});
