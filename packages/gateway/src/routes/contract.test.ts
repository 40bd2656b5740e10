import { describe, expect, it } from "vitest";
import { createTestbed, problemOf } from "../testing/testbed.ts";

// The contract is exact: the document states every limit as a schema constraint and every status
// a route can answer, and the gateway holds to it.

type Schema = {
  type?: string;
  minLength?: number;
  maxLength?: number;
  pattern?: string;
  minimum?: number;
  maximum?: number;
  properties?: Record<string, Schema>;
};
type Operation = {
  operationId?: string;
  security?: unknown[];
  parameters?: { name: string; in: string; schema: Schema }[];
  requestBody?: { required?: boolean; content: Record<string, unknown> };
  responses: Record<string, unknown>;
  "x-policy": { access: string };
};
type Document = {
  servers?: { url: string }[];
  paths: Record<string, Record<string, Operation>>;
  components: {
    schemas: Record<string, Schema>;
    responses: Record<string, { content?: Record<string, unknown> }>;
  };
  "x-connect-rpcs": { procedure: string; path: string; access: string; rateLimit?: string }[];
};

async function documentOf(): Promise<Document> {
  const gateway = await createTestbed();
  return (await gateway.request("/openapi.json")).json();
}

function operationsOf(doc: Document): [string, Operation][] {
  return Object.entries(doc.paths).flatMap(([path, item]) =>
    Object.entries(item).map(
      ([method, operation]) => [`${method} ${path}`, operation] as [string, Operation],
    ),
  );
}

describe("the OpenAPI document states every limit", () => {
  it("as constraints of the request bodies", async () => {
    const { components } = await documentOf();
    const signUp = components.schemas.SignUp?.properties ?? {};
    expect(signUp.username).toMatchObject({ minLength: 3, maxLength: 30, pattern: "^[A-Za-z0-9._]{3,30}$" });
    expect(signUp.email).toMatchObject({ maxLength: 254, pattern: expect.any(String) });
    expect(signUp.password).toMatchObject({ minLength: 8, maxLength: 128 });
    expect(components.schemas.ChangePassword?.properties?.newPassword).toMatchObject({
      minLength: 8,
      maxLength: 128,
    });
    const profile = components.schemas.UpdateProfile?.properties ?? {};
    expect(profile.displayName).toMatchObject({ maxLength: 64, pattern: expect.any(String) });
    expect(profile.bio).toMatchObject({ maxLength: 150 });
    expect(components.schemas.NewComment?.properties?.text).toMatchObject({ minLength: 1, maxLength: 1000 });
    expect(components.schemas.Login?.properties?.password).toMatchObject({ minLength: 1, maxLength: 128 });
  });

  it("as constraints of the parameters", async () => {
    const doc = await documentOf();
    const parameter = (key: string, name: string) =>
      operationsOf(doc)
        .find(([k]) => k === key)?.[1]
        .parameters?.find((p) => p.name === name)?.schema;
    expect(parameter("get /v1/feed", "limit")).toMatchObject({ type: "integer", minimum: 1, maximum: 100 });
    expect(parameter("put /v1/users/{username}/follow", "username")).toMatchObject({
      minLength: 3,
      maxLength: 30,
      pattern: expect.any(String),
    });
    expect(parameter("get /v1/users", "query")).toMatchObject({ minLength: 1, maxLength: 30 });
    expect(parameter("get /v1/tags/{tag}/images", "tag")).toMatchObject({ minLength: 1, maxLength: 100 });
  });
});

describe("the OpenAPI document lists every status a route can answer", () => {
  it("400 for any input, 401 for a token, 413 and 415 for a JSON body, 503 everywhere", async () => {
    for (const [key, operation] of operationsOf(await documentOf())) {
      const statuses = Object.keys(operation.responses);
      if (operation.parameters?.length || operation.requestBody) expect(statuses, key).toContain("400");
      if (operation["x-policy"].access === "token") expect(statuses, key).toContain("401");
      if (operation.requestBody?.content["application/json"]) {
        expect(statuses, key).toEqual(expect.arrayContaining(["413", "415"]));
      }
      expect(statuses, key).toContain("503");
    }
  });

  it("the edge's answers on every operation: 400, 408, 414, 431; 413 wherever a body is limited", async () => {
    for (const [key, operation] of operationsOf(await documentOf())) {
      const statuses = Object.keys(operation.responses);
      expect(statuses, key).toEqual(expect.arrayContaining(["400", "408", "414", "431"]));
      if (!key.startsWith("get ")) expect(statuses, key).toContain("413");
    }
  });

  it("every refusal is problem+json, the shared ones referenced from components.responses", async () => {
    const doc = await documentOf();
    const shared = doc.components.responses;
    const problem = { "application/problem+json": { schema: { $ref: "#/components/schemas/Problem" } } };
    for (const response of Object.values(shared)) expect(response.content).toEqual(problem);
    for (const [key, operation] of operationsOf(doc)) {
      for (const [status, answer] of Object.entries(operation.responses)) {
        if (Number(status) < 400) continue;
        const given = answer as { $ref?: string; content?: Record<string, unknown> };
        const resolved = given.$ref ? shared[given.$ref.replace("#/components/responses/", "")] : given;
        expect(Object.keys(resolved?.content ?? {}), `${key} ${status}`).toEqual([
          "application/problem+json",
        ]);
      }
    }
  });

  it("has an operationId on every operation (unique), security on every one, and servers", async () => {
    const doc = await documentOf();
    const ids = operationsOf(doc).map(([, operation]) => operation.operationId);
    expect(ids.every((id) => typeof id === "string" && id.length > 0)).toBe(true);
    expect(new Set(ids).size).toBe(ids.length);
    for (const [key, operation] of operationsOf(doc))
      expect(Array.isArray(operation.security), key).toBe(true);
    expect(doc.servers?.length).toBeGreaterThan(0);
  });

  it("lists the public Connect RPCs beside REST, with their policy", async () => {
    const rpcs = (await documentOf())["x-connect-rpcs"];
    expect(rpcs).toHaveLength(27);
    expect(rpcs.find((rpc) => rpc.procedure.endsWith("/Login"))).toMatchObject({
      path: "/instagram.auth.v1.AuthService/Login",
      access: "anonymous",
      rateLimit: "login",
    });
    expect(rpcs.find((rpc) => rpc.procedure.endsWith("/GetImage"))).toMatchObject({ access: "token" });
    expect(rpcs.map((rpc) => rpc.procedure)).not.toContain("instagram.user.v1.UserService/BatchGetProfiles");
  });
});

describe("the gateway holds to the document", () => {
  it("answers 400 to PATCH /v1/users/me without a body (the body is required), 200 to {}", async () => {
    const gateway = await createTestbed();
    const { authorization } = await gateway.signedUp("alice");
    const bare = await gateway.request("/v1/users/me", { method: "PATCH", token: authorization });
    expect(bare.status).toBe(400);
    expect((await problemOf(bare)).detail).toMatch(/body/);
    const empty = await gateway.request("/v1/users/me", { method: "PATCH", token: authorization, json: {} });
    expect(empty.status).toBe(200);
  });

  it.each(["0x10", "1e1", "16.0", " 16", "-1", "0", "101"])("refuses limit=%s", async (limit) => {
    const gateway = await createTestbed();
    const { authorization } = await gateway.signedUp("alice");
    const response = await gateway.request(`/v1/feed?limit=${encodeURIComponent(limit)}`, {
      token: authorization,
    });
    expect(response.status).toBe(400);
    expect((await problemOf(response)).errors?.[0]?.path).toBe("limit");
  });

  it("takes limit=16 and 016 as sixteen", async () => {
    const gateway = await createTestbed();
    const { authorization } = await gateway.signedUp("alice");
    for (const limit of ["16", "016"]) {
      expect((await gateway.request(`/v1/feed?limit=${limit}`, { token: authorization })).status).toBe(200);
    }
  });

  it.each([
    ["PUT", "/v1/users/a!/follow"],
    ["DELETE", "/v1/users/ab/follow"],
    ["GET", "/v1/users/has%20space"],
    ["GET", "/v1/users/x/followers"],
    ["GET", "/v1/users?query=%25"],
    ["GET", `/v1/tags/${"t".repeat(101)}/images`],
  ])("answers %s %s with a documented 400, before any service call", async (method, path) => {
    const gateway = await createTestbed();
    const { authorization } = await gateway.signedUp("alice");
    const response = await gateway.request(path, { method, token: authorization });
    expect(response.status).toBe(400);
    await problemOf(response);
    // GetJwks is the token check's own key fetch.
    expect(gateway.reached.filter((procedure) => !procedure.endsWith("/GetJwks"))).toEqual([]);
  });
});
