import { AuthService } from "@instagram/contracts/auth";
import { CommentService } from "@instagram/contracts/comment";
import { ImageService } from "@instagram/contracts/image";
import { UserService } from "@instagram/contracts/user";
import { createServiceApp, type ServiceModule, type ServiceRuntime } from "@instagram/kit";
import { type LaunchedService, launchService } from "@instagram/kit/node";
import { createTestRuntime } from "@instagram/kit/testing";
import { Hono } from "hono";
import { afterEach, describe, expect, it } from "vitest";
import { createGatewayService, loadGatewayEnv } from "./service.ts";
import { fakeCommentService } from "./testing/fake-comments.ts";
import { fakeImageFilesBackend, fakeImageService, PNG_SIGNATURE } from "./testing/fake-images.ts";
import { emptyWorld, type FakeWorld, fakeAuthService, fakeUserService } from "./testing/fake-services.ts";
import { createTokenKeys, type TokenKeys } from "./testing/token-keys.ts";

const local = { host: "127.0.0.1", port: 0 };
const launched: LaunchedService[] = [];
const runtimes: ServiceRuntime[] = [];

afterEach(async () => {
  for (const service of launched.splice(0).reverse()) await service.stop();
  for (const runtime of runtimes.splice(0)) await runtime.close?.();
});

type FilesBackend = (request: Request) => Promise<Response>;

function fakeModule(
  name: "auth" | "user" | "image" | "comment",
  keys: TokenKeys,
  world: FakeWorld,
  files: FilesBackend = fakeImageFilesBackend(keys, world),
): ServiceModule {
  return {
    name,
    async start() {
      const app = createServiceApp({
        name,
        readiness: async () => {},
        routes: (router) => {
          if (name === "auth") router.service(AuthService, fakeAuthService(keys, world));
          else if (name === "user") router.service(UserService, fakeUserService(keys, world));
          else if (name === "image") router.service(ImageService, fakeImageService(keys, world));
          else router.service(CommentService, fakeCommentService(keys, world));
        },
      });
      if (name !== "image") return { app };
      // As image-service does: the file routes sit in front of the kit app, whose body limit would read uploads.
      const front = new Hono();
      front.post("/internal/v1/uploads", (c) => files(c.req.raw));
      front.get("/v1/images/:id/content", (c) => files(c.req.raw));
      front.all("*", (c) => app.fetch(c.req.raw, c.env));
      return { app: front };
    },
  };
}

/** The gateway as `main.ts` runs it: a real port, kit transports, discovery, fake services over HTTP. */
async function stack(
  env: Record<string, string> = {},
  opts: { services?: boolean; imageFiles?: FilesBackend } = {},
) {
  const runtime = createTestRuntime({
    urls: Object.fromEntries(
      ["auth", "user", "image", "comment"].map((name) => [name, ["http://127.0.0.1:9"]]),
    ),
  });
  runtimes.push(runtime);
  const keys = await createTokenKeys();
  const world = emptyWorld();
  if (opts.services !== false) {
    launched.push(await launchService(fakeModule("auth", keys, world), runtime, local));
    launched.push(await launchService(fakeModule("user", keys, world), runtime, local));
    launched.push(await launchService(fakeModule("image", keys, world, opts.imageFiles), runtime, local));
    launched.push(await launchService(fakeModule("comment", keys, world), runtime, local));
  }
  const gateway = await launchService(createGatewayService(loadGatewayEnv(env)), runtime, local);
  launched.push(gateway);
  const call = (path: string, init: RequestInit & { json?: unknown } = {}) => {
    const { json, ...rest } = init;
    const headers = new Headers(rest.headers);
    if (json !== undefined) headers.set("content-type", "application/json");
    return fetch(`${gateway.url}${path}`, {
      ...rest,
      headers,
      body: json === undefined ? rest.body : JSON.stringify(json),
    });
  };
  const signedUp = async (username: string) => {
    const account = {
      id: `acc-${username}`,
      username,
      email: `${username}@example.com`,
      password: "correct horse",
      createdAt: new Date(),
    };
    world.accounts.push(account);
    return { account, authorization: `Bearer ${await keys.sign(account.id)}` };
  };
  return { call, world, signedUp };
}

describe("the gateway as a launched service", () => {
  it("signs up, logs in and reads the account through real services", async () => {
    const { call } = await stack();
    const signUp = await call("/v1/accounts", {
      method: "POST",
      json: { username: "alice", email: "alice@example.com", password: "correct horse" },
    });
    expect(signUp.status).toBe(201);
    const login = await call("/v1/auth/login", {
      method: "POST",
      json: { username: "alice", password: "correct horse" },
    });
    expect(login.status).toBe(200);
    const { accessToken } = await login.json();
    const me = await call("/v1/users/me", { headers: { authorization: `Bearer ${accessToken}` } });
    expect(me.status).toBe(200);
    expect((await me.json()).username).toBe("alice");
    expect((await call("/readyz")).status).toBe(200);
  });

  it("answers 503 problem+json and is not ready while the services are unreachable", async () => {
    const { call } = await stack({}, { services: false });
    const signUp = await call("/v1/accounts", {
      method: "POST",
      json: { username: "alice", email: "alice@example.com", password: "correct horse" },
    });
    expect(signUp.status).toBe(503);
    expect(signUp.headers.get("content-type")).toBe("application/problem+json");
    expect(await signUp.text()).not.toContain("127.0.0.1");
    const keys = await createTokenKeys();
    const me = await call("/v1/users/me", {
      headers: { authorization: `Bearer ${await keys.sign("acc-1")}` },
    });
    expect(me.status).toBe(503);
    expect((await call("/readyz")).status).toBe(503);
    expect((await call("/healthz")).status).toBe(200);
  });

  it("limits logins per socket address, ignoring X-Forwarded-For from untrusted clients", async () => {
    const { call } = await stack({ LOGIN_RATE_CLIENT_MAX_ATTEMPTS: "2" });
    const attempt = (forwardedFor: string) =>
      call("/v1/auth/login", {
        method: "POST",
        headers: { "x-forwarded-for": forwardedFor },
        json: { username: "nobody", password: "whatever1" },
      });
    expect((await attempt("203.0.113.1")).status).toBe(401);
    expect((await attempt("203.0.113.2")).status).toBe(401);
    const limited = await attempt("203.0.113.3");
    expect(limited.status).toBe(429);
    expect(Number(limited.headers.get("retry-after"))).toBeGreaterThan(0);
  });

  it("behind a trusted proxy, limits logins per the address the proxy saw", async () => {
    const { call } = await stack({ LOGIN_RATE_CLIENT_MAX_ATTEMPTS: "2", TRUSTED_PROXY: "true" });
    const attempt = (forwardedFor: string) =>
      call("/v1/auth/login", {
        method: "POST",
        headers: { "x-forwarded-for": forwardedFor },
        json: { username: "nobody", password: "whatever1" },
      });
    expect((await attempt("1.2.3.4, 203.0.113.1")).status).toBe(401);
    expect((await attempt("5.6.7.8, 203.0.113.1")).status).toBe(401);
    expect((await attempt("9.9.9.9, 203.0.113.1")).status).toBe(429);
    expect((await attempt("1.2.3.4, 203.0.113.2")).status).toBe(401);
  });
});

describe("images through a launched gateway", () => {
  it("uploads over real sockets, then serves the file with its ETag and 304", async () => {
    const { call, signedUp } = await stack();
    const alice = await signedUp("alice");
    const form = new FormData();
    form.append("caption", "first #post");
    form.append("file", new Blob([PNG_SIGNATURE, new Uint8Array(4096)], { type: "image/png" }));
    const upload = await call("/v1/images", {
      method: "POST",
      headers: { authorization: alice.authorization },
      body: form,
    });
    expect(upload.status).toBe(201);
    const image = await upload.json();
    expect(upload.headers.get("location")).toBe(`/v1/images/${image.id}`);
    expect(image).toMatchObject({ caption: "first #post", hashtags: ["post"], owner: { username: "alice" } });

    const file = await call(image.urls.original);
    expect(file.status).toBe(200);
    expect((await file.arrayBuffer()).byteLength).toBe(PNG_SIGNATURE.length + 4096);
    const etag = file.headers.get("etag") ?? "";
    expect(etag).not.toBe("");
    const again = await call(image.urls.original, { headers: { "if-none-match": etag } });
    expect(again.status).toBe(304);

    const fetched = await call(`/v1/images/${image.id}`, { headers: { authorization: alice.authorization } });
    expect((await fetched.json()).id).toBe(image.id);
  });

  it("streams a 30 MiB upload over real sockets without storing it first, and passes image-service's 413 on", async () => {
    const total = 30 * 1024 * 1024;
    let produced = 0;
    let received = 0;
    let producedAtFirstByte: number | undefined;
    const { call, signedUp } = await stack(
      {},
      {
        imageFiles: async (request) => {
          const reader = (request.body as ReadableStream<Uint8Array>).getReader();
          for (let next = await reader.read(); !next.done; next = await reader.read()) {
            received += next.value.byteLength;
            producedAtFirstByte ??= produced;
          }
          return Response.json(
            { type: "about:blank", title: "Content Too Large", status: 413, detail: "too large" },
            { status: 413, headers: { "content-type": "application/problem+json" } },
          );
        },
      },
    );
    const alice = await signedUp("alice");
    const body = new ReadableStream<Uint8Array>(
      {
        pull(controller) {
          if (produced >= total) return controller.close();
          produced += 64 * 1024;
          controller.enqueue(new Uint8Array(64 * 1024));
        },
      },
      { highWaterMark: 0 },
    );
    const response = await call("/v1/images", {
      method: "POST",
      headers: { authorization: alice.authorization, "content-type": "multipart/form-data; boundary=x" },
      body,
      duplex: "half",
    } as RequestInit);
    expect(response.status).toBe(413);
    expect(received).toBe(total);
    // image-service had bytes before the client had sent them all (socket buffers keep a few MiB
    // in flight; the in-process test in routes/image-files.test.ts bounds the gateway to one chunk).
    expect(producedAtFirstByte).toBeLessThan(total);
  });
});

describe("gateway configuration", () => {
  it("has the documented defaults", () => {
    const env = loadGatewayEnv({});
    expect(env).toMatchObject({
      PORT: 8080,
      CORS_ORIGINS: "*",
      MAX_JSON_BODY_BYTES: 65536,
      LOGIN_RATE_ACCOUNT_MAX_FAILURES: 5,
      LOGIN_RATE_ACCOUNT_WINDOW_SECONDS: 900,
      LOGIN_RATE_CLIENT_MAX_ATTEMPTS: 20,
      LOGIN_RATE_CLIENT_WINDOW_SECONDS: 60,
      TRUSTED_PROXY: false,
    });
  });

  it("names every bad variable", () => {
    expect(() => loadGatewayEnv({ MAX_JSON_BODY_BYTES: "lots", TRUSTED_PROXY: "maybe" })).toThrow(
      /MAX_JSON_BODY_BYTES[\s\S]*TRUSTED_PROXY|TRUSTED_PROXY[\s\S]*MAX_JSON_BODY_BYTES/,
    );
  });
});
