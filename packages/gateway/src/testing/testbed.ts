import {
  createClient,
  createRouterTransport,
  type Interceptor,
  type ServiceImpl,
  type Transport,
} from "@connectrpc/connect";
import { AuthService } from "@instagram/contracts/auth";
import { CommentService } from "@instagram/contracts/comment";
import { ImageService } from "@instagram/contracts/image";
import { UserService } from "@instagram/contracts/user";
import {
  createAccessTokenVerifier,
  createLogger,
  createLoginThrottle,
  type LoginLimits,
} from "@instagram/kit";
import type { JSONWebKeySet } from "jose";
import { createApp } from "../app.ts";
import {
  defaultImageFileWaits,
  type ImageFileWaits,
  type ImageServiceHttp,
} from "../peers/image-service-http.ts";
import type { ClientAddress, GatewayApp } from "../routes/context.ts";
import { fakeCommentService } from "./fake-comments.ts";
import { type FileRequest, fakeImageFilesBackend, fakeImageService, seedImage } from "./fake-images.ts";
import {
  emptyWorld,
  type FakeAccount,
  type FakeImage,
  type FakeWorld,
  fakeAuthService,
  fakeUserService,
} from "./fake-services.ts";
import { createTokenKeys, issuer, type TokenKeys } from "./token-keys.ts";

export interface Testbed {
  app: GatewayApp;
  keys: TokenKeys;
  world: FakeWorld;
  /** Seeds an account and returns a valid `Authorization` header value for it. */
  signedUp(username: string, password?: string): Promise<{ account: FakeAccount; authorization: string }>;
  /** Seeds an image as if `owner` had uploaded it. */
  posted(owner: FakeAccount, caption?: string): FakeImage;
  /** The procedures (`instagram.auth.v1.AuthService/Login`) whose calls reached a fake service, in order. */
  reached: string[];
  /** The plain-HTTP requests that reached the fake image-service, as the gateway's fetch sent them. */
  fileRequests: FileRequest[];
  request(path: string, init?: RequestInit & { json?: unknown; token?: string }): Promise<Response>;
}

const relaxedLimits: LoginLimits = {
  account: { maxFailures: 1000, windowSeconds: 60 },
  client: { maxAttempts: 1000, windowSeconds: 60 },
};

/** The gateway wired to in-memory fake services over Connect router transports. */
export async function createTestbed(
  opts: {
    auth?: Partial<ServiceImpl<typeof AuthService>>;
    user?: Partial<ServiceImpl<typeof UserService>>;
    image?: Partial<ServiceImpl<typeof ImageService>>;
    comment?: Partial<ServiceImpl<typeof CommentService>>;
    /** image-service's HTTP side (uploads, content); default: a fake backed by the world. */
    imageFiles?: (request: Request) => Promise<Response>;
    imageInstance?: ImageServiceHttp["instance"];
    /** A real fetch for the file requests (to a real server); replaces `imageFiles`. */
    imageFetch?: typeof fetch;
    imageFileWaits?: Partial<ImageFileWaits>;
    transports?: { auth?: Transport; user?: Transport };
    limits?: LoginLimits;
    now?: () => number;
    clientAddress?: ClientAddress;
    maxJsonBodyBytes?: number;
    maxUploadBytes?: number;
    corsOrigins?: string;
    readiness?: () => Promise<void>;
    metricsToken?: string;
  } = {},
): Promise<Testbed> {
  const keys = await createTokenKeys();
  const world = emptyWorld();
  const reached: string[] = [];
  const recordReach: Interceptor = (next) => (request) => {
    reached.push(`${request.service.typeName}/${request.method.name}`);
    return next(request);
  };
  const recorded = { router: { interceptors: [recordReach] } };
  const auth =
    opts.transports?.auth ??
    createRouterTransport((router) => {
      router.service(AuthService, { ...fakeAuthService(keys, world), ...opts.auth });
    }, recorded);
  const user =
    opts.transports?.user ??
    createRouterTransport((router) => {
      router.service(UserService, { ...fakeUserService(keys, world), ...opts.user });
    }, recorded);
  const image = createRouterTransport((router) => {
    router.service(ImageService, { ...fakeImageService(keys, world), ...opts.image });
  }, recorded);
  const comment = createRouterTransport((router) => {
    router.service(CommentService, { ...fakeCommentService(keys, world), ...opts.comment });
  }, recorded);
  const fileRequests: FileRequest[] = [];
  const filesBackend = opts.imageFiles ?? fakeImageFilesBackend(keys, world);
  const imageFiles: ImageServiceHttp = {
    instance: opts.imageInstance ?? (async () => "http://image.test:8083"),
    async fetch(input, init) {
      fileRequests.push({
        url: String(input),
        method: init?.method ?? "GET",
        headers: new Headers(init?.headers),
        body: init?.body,
      });
      return opts.imageFetch ? opts.imageFetch(input, init) : filesBackend(new Request(input, init));
    },
    waits: { ...defaultImageFileWaits, ...opts.imageFileWaits },
  };
  const authClient = createClient(AuthService, auth);
  const app = createApp({
    transports: { auth, user, image, comment },
    imageFiles,
    verifier: createAccessTokenVerifier({
      issuer,
      jwks: async () => JSON.parse((await authClient.getJwks({})).jwksJson) as JSONWebKeySet,
    }),
    logger: createLogger({ service: "gateway-test", level: process.env.GATEWAY_TEST_LOG ?? "silent" }),
    loginThrottle: createLoginThrottle(opts.limits ?? relaxedLimits, opts.now),
    clientAddress: opts.clientAddress ?? (() => undefined),
    corsOrigins: opts.corsOrigins ?? "*",
    maxJsonBodyBytes: opts.maxJsonBodyBytes ?? 64 * 1024,
    maxUploadBytes: opts.maxUploadBytes ?? 20 * 1024 * 1024,
    readiness: opts.readiness ?? (async () => {}),
    metricsToken: opts.metricsToken,
  });

  return {
    app,
    keys,
    world,
    fileRequests,
    reached,
    posted: (owner, caption) => seedImage(world, owner, caption),
    async signedUp(username, password = "correct horse") {
      const account: FakeAccount = {
        id: `acc-${username}`,
        username,
        email: `${username}@example.com`,
        password,
        createdAt: new Date("2025-01-02T03:04:05.678Z"),
      };
      world.accounts.push(account);
      return { account, authorization: `Bearer ${await keys.sign(account.id)}` };
    },
    request(path, init = {}) {
      const { json, token, ...rest } = init;
      const headers = new Headers(rest.headers);
      if (json !== undefined) headers.set("content-type", "application/json");
      if (token !== undefined) headers.set("authorization", token);
      return Promise.resolve(
        app.request(path, { ...rest, headers, body: json === undefined ? rest.body : JSON.stringify(json) }),
      );
    },
  };
}

/** The body of a problem+json answer, checked to be one. */
export async function problemOf(response: Response): Promise<{
  type: string;
  title: string;
  status: number;
  detail: string;
  errors?: { path: string; message: string }[];
}> {
  const type = response.headers.get("content-type");
  if (type !== "application/problem+json")
    throw new Error(`expected problem+json, got ${type}: ${await response.text()}`);
  return response.json();
}
