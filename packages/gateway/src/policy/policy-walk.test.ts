import { create, type DescMethod, toBinary } from "@bufbuild/protobuf";
import { EmptySchema, MethodOptions_IdempotencyLevel } from "@bufbuild/protobuf/wkt";
import { describe, expect, it } from "vitest";
import { relayedServices } from "../routes/public-rpcs.ts";
import { createTestbed, type Testbed } from "../testing/testbed.ts";
import { isOperation, type Operation, policies, policyOfMethod, procedureOf } from "./table.ts";

// The policy walk: every method of the services and every REST operation of the OpenAPI document
// against the one table, through every door. A refusal by the gateway is told from one by a
// service by `reached`: a call the gateway refuses never reaches the (fake) service.

const methods: DescMethod[] = relayedServices.flatMap((service) => service.methods);
const relayed = methods.filter((method) => policyOfMethod(method).access !== "internal");
const cacheable = relayed.filter(
  (method) => method.idempotency === MethodOptions_IdempotencyLevel.NO_SIDE_EFFECTS,
);

type Door = "connect-post" | "connect-get" | "grpc-web";

/** An empty request message through one door, with or without a token. */
function call(gateway: Testbed, method: DescMethod, door: Door, authorization?: string): Promise<Response> {
  const path = `/${procedureOf(method)}`;
  const headers: Record<string, string> = authorization ? { authorization } : {};
  switch (door) {
    case "connect-post":
      return gateway.request(path, {
        method: "POST",
        headers: { ...headers, "content-type": "application/json", "connect-protocol-version": "1" },
        body: "{}",
      });
    case "connect-get":
      return gateway.request(`${path}?connect=v1&encoding=json&message=${encodeURIComponent("{}")}`, {
        headers,
      });
    case "grpc-web": {
      // An empty message is zero bytes in any message type: one data frame of length 0.
      const payload = toBinary(EmptySchema, create(EmptySchema));
      const frame = new Uint8Array(5 + payload.length);
      return gateway.request(path, {
        method: "POST",
        headers: { ...headers, "content-type": "application/grpc-web+proto", "x-grpc-web": "1" },
        body: frame,
      });
    }
  }
}

/** The gRPC status of a gRPC-web answer: in the headers (trailers-only) or the trailer frame. */
async function grpcStatusOf(response: Response): Promise<string | null> {
  const inHeaders = response.headers.get("grpc-status");
  if (inHeaders !== null) return inHeaders;
  const text = new TextDecoder().decode(await response.arrayBuffer());
  return /grpc-status: ?(\d+)/.exec(text)?.[1] ?? null;
}

const doors: [Door, DescMethod[]][] = [
  ["connect-post", relayed],
  ["connect-get", cacheable],
  ["grpc-web", relayed],
];
const relayCases = doors.flatMap(([door, list]) => list.map((method) => [door, method] as const));

describe("the policy table", () => {
  it("has an entry for every method of the four services", () => {
    const missing = methods.map(procedureOf).filter((procedure) => !isOperation(procedure));
    expect(missing).toEqual([]);
  });

  it("keys nothing but those methods and the two plain-HTTP operations", () => {
    const procedures = new Set(methods.map(procedureOf));
    const extra = Object.keys(policies).filter((key) => !procedures.has(key));
    expect(extra.sort()).toEqual(["http/GetImageContent", "http/UploadImage"]);
  });
});

describe("policy walk, Connect relay: every public method × door", () => {
  it.each(relayCases.map(([door, method]) => [procedureOf(method), door, method] as const))(
    "%s through %s: anonymous is refused exactly when the table wants a token",
    async (procedure, door, method) => {
      const gateway = await createTestbed();
      const response = await call(gateway, method, door);
      const guarded = policyOfMethod(method).access === "token";
      // An anonymous method may still be refused by its service (an empty Login is a 401 there):
      // `reached` tells the gate's refusal from the service's.
      if (guarded && door === "grpc-web") expect(await grpcStatusOf(response)).toBe("16");
      if (guarded && door !== "grpc-web") {
        expect(response.status).toBe(401);
        expect(await response.json()).toMatchObject({ code: "unauthenticated" });
      }
      expect(gateway.reached.includes(procedure)).toBe(!guarded);
    },
  );

  it.each(relayCases.map(([door, method]) => [procedureOf(method), door, method] as const))(
    "%s through %s: a valid token passes the gate",
    async (procedure, door, method) => {
      const gateway = await createTestbed();
      const { authorization } = await gateway.signedUp("alice");
      await call(gateway, method, door, authorization);
      expect(gateway.reached).toContain(procedure);
    },
  );

  it.each(
    methods.filter((method) => policyOfMethod(method).access === "internal").map((m) => [procedureOf(m), m]),
  )("%s is internal: not served, with or without a token", async (procedure, method) => {
    const gateway = await createTestbed();
    const { authorization } = await gateway.signedUp("alice");
    for (const door of ["connect-post", "connect-get"] as const) {
      expect((await call(gateway, method, door)).status).toBe(404);
      expect((await call(gateway, method, door, authorization)).status).toBe(404);
    }
    expect(gateway.reached).not.toContain(procedure);
  });
});

interface DocumentedOperation {
  security?: Record<string, string[]>[];
  requestBody?: { content: Record<string, unknown> };
  "x-policy"?: { operation: string; access: string };
}

const pathSamples: Record<string, string> = {
  username: "alice",
  id: "img-1",
  commentId: "c-1",
  tag: "sunset",
};

async function documentOperations(): Promise<[string, string, DocumentedOperation][]> {
  const gateway = await createTestbed();
  const doc = (await (await gateway.request("/openapi.json")).json()) as {
    paths: Record<string, Record<string, DocumentedOperation>>;
  };
  return Object.entries(doc.paths).flatMap(([path, item]) =>
    Object.entries(item).map(
      ([method, operation]) => [method, path, operation] as [string, string, DocumentedOperation],
    ),
  );
}

const restOperations = await documentOperations();

/** An anonymous (or signed) request to a documented operation, with sample path values. */
function restCall(
  gateway: Testbed,
  method: string,
  path: string,
  operation: DocumentedOperation,
  token?: string,
) {
  const url = path.replaceAll(/\{(\w+)\}/g, (_, name: string) => pathSamples[name] ?? "x");
  const multipart = operation.requestBody?.content["multipart/form-data"] !== undefined;
  return gateway.request(url, {
    method: method.toUpperCase(),
    ...(token ? { token } : {}),
    ...(operation.requestBody === undefined
      ? {}
      : multipart
        ? { headers: { "content-type": "multipart/form-data; boundary=walk" }, body: "--walk--\r\n" }
        : { json: {} }),
  });
}

describe("policy walk, REST: every operation of the OpenAPI document", () => {
  it.each(restOperations)("%s %s names its operation in the table and documents its access", (_m, _p, op) => {
    const operation = op["x-policy"]?.operation ?? "";
    expect(isOperation(operation), operation).toBe(true);
    const policy = policies[operation as Operation];
    expect(op["x-policy"]?.access).toBe(policy.access);
    expect(op.security).toEqual(policy.access === "token" ? [{ bearerAuth: [] }] : []);
  });

  it.each(restOperations)(
    "%s %s: anonymous is refused exactly when the table wants a token",
    async (method, path, op) => {
      const gateway = await createTestbed();
      await gateway.signedUp("alice");
      const response = await restCall(gateway, method, path, op);
      const guarded = policies[op["x-policy"]?.operation as Operation].access === "token";
      if (guarded) {
        expect(response.status).toBe(401);
        expect(response.headers.get("www-authenticate")).toMatch(/^Bearer/);
        expect(gateway.reached).toEqual([]);
        expect(gateway.fileRequests).toEqual([]);
      } else {
        expect(response.status).not.toBe(401);
      }
    },
  );

  it.each(restOperations.filter(([, , op]) => op["x-policy"]?.access === "token"))(
    "%s %s: a valid token passes the gate",
    async (method, path, op) => {
      const gateway = await createTestbed();
      const { authorization } = await gateway.signedUp("alice");
      const response = await restCall(gateway, method, path, op, authorization);
      expect(response.status).not.toBe(401);
    },
  );
});
