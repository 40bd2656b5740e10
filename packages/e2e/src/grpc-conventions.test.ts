// gRPC conventions, seen by a foreign client (@grpc/grpc-js, which knows nothing of Connect):
// every service and the gateway serve grpc.health.v1.Health and server reflection, and reflection
// alone is enough to call a service, as grpcurl and Postman do without the .proto files.
import { dirname, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import * as grpc from "@grpc/grpc-js";
import * as protoLoader from "@grpc/proto-loader";
import { listenNode } from "@instagram/kit/node";
import { afterAll, describe, expect, it } from "vitest";
import { serviceUrl } from "./stack.ts";

const protoRoot = resolve(dirname(fileURLToPath(import.meta.url)), "../../../proto");
const loaderOptions = { keepCase: true, longs: String, enums: String, defaults: true, oneofs: true };

interface HealthStub extends grpc.Client {
  Check(
    request: { service: string },
    options: grpc.CallOptions,
    callback: (error: grpc.ServiceError | null, response?: { status: string }) => void,
  ): grpc.ClientUnaryCall;
  Watch(request: { service: string }): grpc.ClientReadableStream<{ status: string }>;
}

interface ReflectionRequest {
  host?: string;
  list_services?: string;
  file_by_filename?: string;
  file_containing_symbol?: string;
}

interface ReflectionResponse {
  message_response: "list_services_response" | "file_descriptor_response" | "error_response";
  list_services_response?: { service: { name: string }[] };
  file_descriptor_response?: { file_descriptor_proto: Buffer[] };
  error_response?: { error_code: number; error_message: string };
}

/** AuthService as built from reflected descriptors alone. */
interface JwksStub extends grpc.Client {
  GetJwks(request: object, callback: grpc.requestCallback<{ jwks_json: string }>): grpc.ClientUnaryCall;
}

interface ReflectionStub extends grpc.Client {
  ServerReflectionInfo(): grpc.ClientDuplexStream<ReflectionRequest, ReflectionResponse>;
}

function loadPackage(file: string): grpc.GrpcObject {
  return grpc.loadPackageDefinition(
    protoLoader.loadSync(file, { includeDirs: [protoRoot], ...loaderOptions }),
  );
}

const healthPackage = loadPackage("grpc/health/v1/health.proto");
const reflectionPackages = {
  v1: loadPackage("grpc/reflection/v1/reflection.proto"),
  v1alpha: loadPackage("grpc/reflection/v1alpha/reflection.proto"),
};

function constructorAt(root: grpc.GrpcObject, path: string): grpc.ServiceClientConstructor {
  let node: unknown = root;
  for (const part of path.split(".")) node = (node as Record<string, unknown>)[part];
  return node as grpc.ServiceClientConstructor;
}

const clients: grpc.Client[] = [];
afterAll(() => {
  for (const client of clients) client.close();
});

function dial<T extends grpc.Client>(Client: grpc.ServiceClientConstructor, service: string): T {
  const client = new Client(new URL(serviceUrl(service)).host, grpc.credentials.createInsecure());
  clients.push(client);
  return client as unknown as T;
}

function check(stub: HealthStub, service: string): Promise<string> {
  return new Promise((resolve, reject) => {
    stub.Check({ service }, { deadline: Date.now() + 5_000 }, (error, response) => {
      if (error) reject(error);
      else resolve(response?.status ?? "no answer");
    });
  });
}

/** One reflection stream: each request in turn, each answered before the next is sent. */
async function reflect(
  service: string,
  requests: ReflectionRequest[],
  version: "v1" | "v1alpha" = "v1",
): Promise<ReflectionResponse[]> {
  const Reflection = constructorAt(
    reflectionPackages[version],
    `grpc.reflection.${version}.ServerReflection`,
  );
  const stream = dial<ReflectionStub>(Reflection, service).ServerReflectionInfo();
  const answers: ReflectionResponse[] = [];
  const ended = new Promise<void>((resolve, reject) => {
    stream.on("data", (answer: ReflectionResponse) => answers.push(answer));
    stream.on("error", reject);
    stream.on("end", resolve);
  });
  for (const request of requests) stream.write(request);
  stream.end();
  await ended;
  return answers;
}

/** The FileDescriptorSet (field 1: repeated FileDescriptorProto) of the serialized files. */
function descriptorSet(files: Buffer[]): Buffer {
  const parts: Buffer[] = [];
  for (const file of files) {
    const length: number[] = [];
    let left = file.length;
    while (left > 0x7f) {
      length.push((left & 0x7f) | 0x80);
      left >>>= 7;
    }
    length.push(left);
    parts.push(Buffer.from([0x0a, ...length]), file);
  }
  return Buffer.concat(parts);
}

const services = [
  { name: "auth", rpc: "instagram.auth.v1.AuthService" },
  { name: "user", rpc: "instagram.user.v1.UserService" },
  { name: "image", rpc: "instagram.image.v1.ImageService" },
  { name: "comment", rpc: "instagram.comment.v1.CommentService" },
];
const Health = constructorAt(healthPackage, "grpc.health.v1.Health");

describe("grpc.health.v1.Health", () => {
  it.each(services)("$name-service is SERVING as a whole and for $rpc", async ({ name, rpc }) => {
    const stub = dial<HealthStub>(Health, name);
    expect(await check(stub, "")).toBe("SERVING");
    expect(await check(stub, rpc)).toBe("SERVING");
  });

  it("the gateway is SERVING (its /readyz: every service answers)", async () => {
    expect(await check(dial<HealthStub>(Health, "gateway"), "")).toBe("SERVING");
  });

  it("answers NOT_FOUND for a service the server does not serve", async () => {
    const error = await check(dial<HealthStub>(Health, "auth"), "instagram.user.v1.UserService").then(
      () => undefined,
      (failure: grpc.ServiceError) => failure,
    );
    expect(error?.code).toBe(grpc.status.NOT_FOUND);
  });

  it("Watch sends the status at once and keeps the stream open", async () => {
    const watch = dial<HealthStub>(Health, "user").Watch({ service: "" });
    const first = await new Promise<{ status: string }>((resolve, reject) => {
      watch.once("data", resolve);
      watch.once("error", reject);
    });
    expect(first.status).toBe("SERVING");
    const ended = new Promise<grpc.ServiceError>((resolve) => watch.once("error", resolve));
    watch.cancel();
    expect((await ended).code).toBe(grpc.status.CANCELLED);
  });
});

describe("server reflection", () => {
  it.each(["v1", "v1alpha"] as const)("%s lists the services of each service's port", async (version) => {
    for (const { name, rpc } of services) {
      const [answer] = await reflect(name, [{ host: "", list_services: "" }], version);
      const names = answer?.list_services_response?.service.map((service) => service.name);
      expect(names).toEqual(
        expect.arrayContaining([
          rpc,
          "grpc.health.v1.Health",
          "grpc.reflection.v1.ServerReflection",
          "grpc.reflection.v1alpha.ServerReflection",
        ]),
      );
    }
  });

  it("lists only health and reflection at the gateway (its RPCs are Connect and gRPC-web)", async () => {
    const [answer] = await reflect("gateway", [{ list_services: "" }]);
    expect(answer?.list_services_response?.service.map((service) => service.name)).toEqual([
      "grpc.health.v1.Health",
      "grpc.reflection.v1.ServerReflection",
      "grpc.reflection.v1alpha.ServerReflection",
    ]);
  });

  it("describes a service well enough to call it without the .proto files", async () => {
    const [answer] = await reflect("auth", [
      { file_containing_symbol: "instagram.auth.v1.AuthService.GetJwks" },
    ]);
    expect(answer?.message_response).toBe("file_descriptor_response");
    const files = answer?.file_descriptor_response?.file_descriptor_proto ?? [];
    const definition = protoLoader.loadFileDescriptorSetFromBuffer(descriptorSet(files), loaderOptions);
    const AuthService = constructorAt(
      grpc.loadPackageDefinition(definition),
      "instagram.auth.v1.AuthService",
    );
    const auth = dial<JwksStub>(AuthService, "auth");
    const reply = await new Promise<{ jwks_json: string }>((resolve, reject) => {
      auth.GetJwks({}, (error, response) => (error || !response ? reject(error) : resolve(response)));
    });
    expect(JSON.parse(reply.jwks_json).keys.length).toBeGreaterThan(0);
  });

  it("answers an unknown file or symbol with NOT_FOUND on the same stream, which stays usable", async () => {
    const answers = await reflect("image", [
      { file_by_filename: "no/such.proto" },
      { file_containing_symbol: "instagram.image.v1.NoSuchService" },
      { file_by_filename: "instagram/image/v1/image.proto" },
    ]);
    expect(answers.map((answer) => answer.message_response)).toEqual([
      "error_response",
      "error_response",
      "file_descriptor_response",
    ]);
    expect(answers[0]?.error_response?.error_code).toBe(grpc.status.NOT_FOUND);
  });
});

describe("a gRPC client at the gateway's port", () => {
  it.each(["instagram.auth.v1.AuthService", "instagram.unknown.v1.NoSuchService"])(
    "gets UNIMPLEMENTED with what to use instead (%s)",
    async (service) => {
      const client = new grpc.Client(new URL(serviceUrl("gateway")).host, grpc.credentials.createInsecure());
      clients.push(client);
      // An empty message (GetJwks takes none): the path is all the gateway looks at.
      const bytes = (message: Buffer): Buffer => message;
      const error = await new Promise<grpc.ServiceError>((resolve, reject) => {
        client.makeUnaryRequest(`/${service}/GetJwks`, bytes, bytes, Buffer.alloc(0), (failure) =>
          failure ? resolve(failure) : reject(new Error("the call succeeded")),
        );
      });
      expect(error.code).toBe(grpc.status.UNIMPLEMENTED);
      expect(error.details).toMatch(/Connect|gRPC-web/);
    },
  );
});

describe("a port that is still starting", () => {
  it("answers a gRPC call UNAVAILABLE (so clients retry elsewhere)", async () => {
    const server = await listenNode({ port: 0 });
    try {
      const stub = new Health(
        new URL(server.url).host,
        grpc.credentials.createInsecure(),
      ) as unknown as HealthStub;
      clients.push(stub);
      const error = await check(stub, "").then(
        () => undefined,
        (failure: grpc.ServiceError) => failure,
      );
      expect(error?.code).toBe(grpc.status.UNAVAILABLE);
      expect(error?.details).toBe("starting");
    } finally {
      await server.close();
    }
  });
});
