import { describe, expect, it } from "vitest";
import { createTestbed } from "./testing/testbed.ts";

/** Every table of the REST contract. */
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
  ["post", "/v1/images", ["201", "400", "413", "415"]],
  ["get", "/v1/images/{id}", ["200", "404"]],
  ["get", "/v1/images/{id}/content", ["200", "304", "404"]],
  ["delete", "/v1/images/{id}", ["204", "403", "404"]],
  ["get", "/v1/users/{username}/images", ["200", "404"]],
  ["put", "/v1/images/{id}/like", ["204", "404"]],
  ["delete", "/v1/images/{id}/like", ["204", "404"]],
  ["get", "/v1/images/{id}/likes", ["200", "404"]],
  ["get", "/v1/tags/{tag}/images", ["200", "400"]],
  ["get", "/v1/users/{username}/mentions", ["200", "404"]],
  ["get", "/v1/feed", ["200", "400", "401"]],
  ["post", "/v1/images/{id}/comments", ["201", "400", "404"]],
  ["get", "/v1/images/{id}/comments", ["200", "404"]],
  ["delete", "/v1/images/{id}/comments/{commentId}", ["204", "403", "404"]],
];

const publicPaths = new Set([
  "post /v1/accounts",
  "post /v1/auth/login",
  "post /v1/auth/refresh",
  "get /.well-known/jwks.json",
  "get /v1/images/{id}/content",
]);

type Operation = {
  responses: Record<string, { content?: Record<string, unknown>; headers?: Record<string, unknown> }>;
  requestBody?: {
    content: Record<
      string,
      { schema?: { type?: string; properties?: Record<string, { type?: string; format?: string }> } }
    >;
  };
  security?: unknown[];
  parameters?: { name: string; in: string }[];
};

async function openapi() {
  const gateway = await createTestbed();
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
    expect(Object.keys(components.schemas.Image?.properties ?? {}).sort()).toEqual(
      [
        "id",
        "owner",
        "caption",
        "hashtags",
        "mentions",
        "contentType",
        "width",
        "height",
        "likesCount",
        "commentsCount",
        "likedByMe",
        "createdAt",
        "urls",
      ].sort(),
    );
    expect(Object.keys(components.schemas.Comment?.properties ?? {}).sort()).toEqual(
      ["id", "imageId", "author", "text", "hashtags", "mentions", "createdAt"].sort(),
    );
    for (const page of ["ImagePage", "CommentPage"]) {
      expect(components.schemas[page]?.required).toEqual(expect.arrayContaining(["items", "nextCursor"]));
    }
  });

  it("describes the upload as a multipart form with a binary file and a caption", async () => {
    const doc = await openapi();
    const upload = doc.paths["/v1/images"]?.post;
    const form = upload?.requestBody?.content["multipart/form-data"]?.schema;
    expect(form?.properties?.file).toMatchObject({ type: "string", format: "binary" });
    expect(form?.properties?.caption).toMatchObject({ type: "string" });
    expect(upload?.responses["201"]?.headers).toHaveProperty("Location");
  });

  it("describes the image file answers", async () => {
    const doc = await openapi();
    const content = doc.paths["/v1/images/{id}/content"]?.get;
    expect(Object.keys(content?.responses["200"]?.content ?? {})).toEqual(
      expect.arrayContaining(["image/jpeg", "image/png", "image/webp", "image/gif"]),
    );
    const names = (content?.parameters ?? []).map((p) => `${p.in}:${p.name}`).sort();
    expect(names).toEqual(["header:if-none-match", "path:id", "query:size"]);
  });

  it("documents paging parameters on the lists", async () => {
    const doc = await openapi();
    const names = (doc.paths["/v1/users"]?.get?.parameters ?? []).map((p) => `${p.in}:${p.name}`).sort();
    expect(names).toEqual(["query:cursor", "query:limit", "query:query"]);
  });
});

describe("GET /docs", () => {
  it("serves an interactive reference page pointing at the document", async () => {
    const gateway = await createTestbed();
    const response = await gateway.app.request("/docs");
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toContain("text/html");
    expect(await response.text()).toContain("/openapi.json");
  });
});
