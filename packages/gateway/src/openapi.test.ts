import { describe, expect, it } from "vitest";
import { gatewayUnderTest } from "./testing/gateway-under-test.ts";

/** The "Accounts and sessions" and "Users and the follow graph" tables of the REST contract. */
const contract: [method: string, path: string, statuses: string[]][] = [
  ["post", "/v1/accounts", ["201", "400", "409"]],
  ["post", "/v1/auth/login", ["200", "400", "401", "429"]],
  ["post", "/v1/auth/refresh", ["200", "401"]],
  ["post", "/v1/auth/logout", ["204", "401"]],
  ["get", "/v1/accounts/me", ["200", "401"]],
  ["put", "/v1/accounts/me/password", ["204", "400", "401", "403"]],
  ["delete", "/v1/accounts/me", ["204", "401", "403"]],
  ["get", "/.well-known/jwks.json", ["200"]],
  ["get", "/v1/users/me", ["200", "401"]],
  ["patch", "/v1/users/me", ["200", "400"]],
  ["get", "/v1/users/{username}", ["200", "404"]],
  ["get", "/v1/users", ["200", "400"]],
  ["put", "/v1/users/{username}/follow", ["204", "400", "404"]],
  ["delete", "/v1/users/{username}/follow", ["204", "404"]],
  ["get", "/v1/users/{username}/followers", ["200", "404"]],
  ["get", "/v1/users/{username}/following", ["200", "404"]],
];

const publicPaths = new Set([
  "post /v1/accounts",
  "post /v1/auth/login",
  "post /v1/auth/refresh",
  "get /.well-known/jwks.json",
]);

type Operation = {
  responses: Record<string, unknown>;
  security?: unknown[];
  parameters?: { name: string; in: string }[];
};

async function openapi() {
  const gateway = await gatewayUnderTest();
  const response = await gateway.app.request("/openapi.json");
  expect(response.status).toBe(200);
  return (await response.json()) as {
    openapi: string;
    paths: Record<string, Record<string, Operation>>;
    components: { schemas: Record<string, { properties?: Record<string, unknown>; required?: string[] }> };
  };
}

describe("GET /openapi.json", () => {
  it("is an OpenAPI 3.1 document with every contract endpoint and status", async () => {
    const doc = await openapi();
    expect(doc.openapi).toMatch(/^3\.1\./);
    for (const [method, path, statuses] of contract) {
      const operation = doc.paths[path]?.[method];
      expect(operation, `${method} ${path}`).toBeDefined();
      expect(Object.keys(operation?.responses ?? {}), `${method} ${path}`).toEqual(
        expect.arrayContaining(statuses),
      );
    }
  });

  it("marks exactly the non-public endpoints as needing a bearer token", async () => {
    const doc = await openapi();
    for (const [method, path] of contract) {
      const secured = (doc.paths[path]?.[method]?.security ?? []).length > 0;
      expect(secured, `${method} ${path}`).toBe(!publicPaths.has(`${method} ${path}`));
    }
  });

  it("describes the contract's field names", async () => {
    const { components } = await openapi();
    expect(Object.keys(components.schemas.Profile?.properties ?? {}).sort()).toEqual(
      [
        "id",
        "username",
        "displayName",
        "bio",
        "followersCount",
        "followingCount",
        "imagesCount",
        "createdAt",
        "followedByMe",
      ].sort(),
    );
    expect(Object.keys(components.schemas.Problem?.properties ?? {}).sort()).toEqual(
      ["type", "title", "status", "detail", "errors"].sort(),
    );
    expect(components.schemas.ProfilePage?.required).toEqual(expect.arrayContaining(["items", "nextCursor"]));
  });

  it("documents paging parameters on the lists", async () => {
    const doc = await openapi();
    const names = (doc.paths["/v1/users"]?.get?.parameters ?? []).map((p) => `${p.in}:${p.name}`).sort();
    expect(names).toEqual(["query:cursor", "query:limit", "query:query"]);
  });
});

describe("GET /docs", () => {
  it("serves an interactive reference page pointing at the document", async () => {
    const gateway = await gatewayUnderTest();
    const response = await gateway.app.request("/docs");
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toContain("text/html");
    expect(await response.text()).toContain("/openapi.json");
  });
});
