import { mkdtemp, readdir, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { create, type DescMessage, type MessageInitShape, toBinary } from "@bufbuild/protobuf";
import { type Client, createClient, createRouterTransport } from "@connectrpc/connect";
import { type EventType, eventSchema, type Topic } from "@instagram/contracts/events";
import { ImageService } from "@instagram/contracts/image";
import {
  createAuthInterceptor,
  createInProcessBus,
  createLogger,
  type Database,
  type DatabaseHandle,
  type EventBus,
  type EventEnvelope,
  type EventSchema,
  errorBoundary,
  migrate,
  newId,
} from "@instagram/kit";
import { createPostgresConnector } from "@instagram/kit/node";
import { createTestDatabase, createTestTokens, type TestTokens } from "@instagram/kit/testing";
import { eq, sql } from "drizzle-orm";
import type { Hono } from "hono";
import { createApp } from "../app.ts";
import { FileBlobStore } from "../blobs/file-blob-store.ts";
import type { S3BlobStore } from "../blobs/s3-blob-store.ts";
import { inbox } from "../db/schema/index.ts";
import type { FeedPolicy } from "../domain/feed-policy.ts";
import { createSharpProcessor } from "../processing/sharp-processor.ts";
import { photoJpeg } from "../processing/test-images.ts";
import { createRoutes } from "../routes.ts";
import { imageMigrations, startImageWork } from "../service.ts";
import { startBlobReaper } from "../use-cases/blob-reaper.ts";
import type { ImageStore } from "../use-cases/image-store.ts";

/** The whole service in memory for tests: migrated PGlite, in-process bus, a temp blob directory. */
export interface Testbed {
  db: Database;
  bus: EventBus;
  blobs: FileBlobStore | S3BlobStore;
  store: ImageStore;
  tokens: TestTokens;
  app: Hono;
  client: Client<typeof ImageService>;
  /** Every event image-service published to the bus so far. */
  published: EventEnvelope[];
  /** Call options acting as `userId`. */
  as(userId: string): Promise<{ headers: { authorization: string } }>;
  /** A user as user-service announces it (users.CREATED), applied before this resolves. */
  createUser(username: string): Promise<string>;
  /** users.DELETED, applied (and the reaper run) before this resolves. */
  deleteUser(userId: string, username: string): Promise<void>;
  /** Puts an event on the bus as its publisher would; resolves once image-service applied it. */
  deliver<T extends Topic, K extends EventType<T>>(
    topic: T,
    type: K,
    aggregateId: string,
    payload: MessageInitShape<EventSchema<T, K>>,
  ): Promise<void>;
  /** Uploads a 24×16 JPEG (with `caption`) that must be stored: its image id. */
  post(userId: string, caption?: string): Promise<string>;
  /** POST /internal/v1/uploads as multipart. */
  upload(userId: string, file: Uint8Array, caption?: string): Promise<Response>;
  /** Files in the blob store (objects only). */
  blobFiles(): Promise<string[]>;
  runReaper(): Promise<number>;
  close(): Promise<void>;
}

export async function createTestbed(
  opts: {
    maxUploadBytes?: number;
    maxInputPixels?: number;
    feedPolicy?: FeedPolicy;
    /** Image files in this bucket instead of a temp directory (the S3 int tests). */
    blobs?: S3BlobStore;
  } = {},
): Promise<Testbed> {
  const handle = await openTestDatabase();
  const db = handle.db;
  const logger = createLogger({ service: "image-test", level: "silent" });
  const bus = createInProcessBus({ logger });
  const dir = await mkdtemp(join(tmpdir(), "image-service-"));
  const blobs = opts.blobs ?? new FileBlobStore(dir);
  await blobs.init();
  const tokens = await createTestTokens();
  const work = await startImageWork({
    db,
    bus,
    logger,
    blobs,
    feedPolicy: opts.feedPolicy,
    reaperIntervalMs: 3_600_000,
  });
  const routes = createRoutes(work.store);
  const interceptors = [createAuthInterceptor(tokens.verifier)];
  const app = createApp({
    store: work.store,
    routes,
    interceptors,
    verifier: tokens.verifier,
    processor: createSharpProcessor({
      scratchPath: (suffix) => blobs.scratchPath(suffix),
      maxInputPixels: opts.maxInputPixels ?? 100_000_000,
      renderConcurrency: 2,
    }),
    maxUploadBytes: opts.maxUploadBytes ?? 20 * 1024 * 1024,
    readiness: async () => {},
  });
  // Behind the kit's error boundary, as createServiceApp and launchService serve the routes.
  const transport = createRouterTransport(routes, {
    router: { interceptors: [errorBoundary(logger), ...interceptors] },
  });
  const client = createClient(ImageService, transport);
  const published: EventEnvelope[] = [];
  const listener = await bus.subscribe({
    group: "testbed",
    topics: ["images"],
    handle: async (event) => {
      published.push(event);
    },
  });
  const reaperRun = async () => {
    const reaper = startBlobReaper({ db, blobs, logger, intervalMs: 3_600_000 });
    try {
      return await reaper.run();
    } finally {
      await reaper.stop();
    }
  };

  async function deliver<T extends Topic, K extends EventType<T>>(
    topic: T,
    type: K,
    aggregateId: string,
    payload: MessageInitShape<EventSchema<T, K>>,
  ): Promise<void> {
    const schema = eventSchema(topic, type);
    if (schema === undefined) throw new Error(`unknown event ${topic}.${type}`);
    const id = newId();
    await bus.send([
      {
        id,
        topic,
        type,
        aggregateId,
        occurredAt: new Date(),
        payload: toBinary(schema, create(schema, payload as MessageInitShape<DescMessage>)),
        headers: {},
      },
    ]);
    await eventually(async () => (await db.select().from(inbox).where(eq(inbox.eventId, id))).length > 0);
  }

  let small: Buffer | undefined;
  const upload = async (userId: string, file: Uint8Array, caption?: string): Promise<Response> => {
    const form = new FormData();
    if (caption !== undefined) form.set("caption", caption);
    form.set("file", new File([new Uint8Array(file)], "upload.bin", { type: "image/jpeg" }));
    return app.request("/internal/v1/uploads", {
      method: "POST",
      body: form,
      headers: { authorization: await tokens.authorizationFor(userId) },
    });
  };

  return {
    db,
    bus,
    blobs,
    store: work.store,
    tokens,
    app,
    client,
    published,
    as: async (userId) => ({ headers: { authorization: await tokens.authorizationFor(userId) } }),
    async createUser(username) {
      const userId = newId();
      await deliver("users", "CREATED", userId, { userId, username });
      return userId;
    },
    async deleteUser(userId, username) {
      await deliver("users", "DELETED", userId, { userId, username });
      await reaperRun();
    },
    async post(userId, caption) {
      small ??= await photoJpeg(24, 16);
      const response = await upload(userId, small, caption);
      if (response.status !== 201)
        throw new Error(`upload answered ${response.status}: ${await response.text()}`);
      return ((await response.json()) as { id: string }).id;
    },
    upload,
    async blobFiles() {
      if ("keys" in blobs) {
        const keys: string[] = [];
        for await (const key of blobs.keys()) keys.push(key);
        return keys.sort();
      }
      const objects = join(dir, "objects");
      const shards = await readdir(objects).catch(() => []);
      const files = await Promise.all(shards.map((shard) => readdir(join(objects, shard))));
      return files.flat().sort();
    },
    deliver,
    runReaper: reaperRun,
    async close() {
      await listener.close();
      await work.stop();
      await bus.close();
      await handle.close();
      await rm(dir, { recursive: true, force: true });
    },
  };
}

/**
 * PGlite by default. With IMAGE_TEST_DATABASE_URL (postgres://…) set, a fresh database on that
 * server per testbed (test files run in parallel), dropped at close: real concurrent transactions.
 */
async function openTestDatabase(): Promise<DatabaseHandle> {
  const url = process.env.IMAGE_TEST_DATABASE_URL;
  if (!url) return createTestDatabase(imageMigrations);
  const name = `image_test_${newId().replaceAll("-", "")}`;
  const admin = createPostgresConnector({ url, max: 1 });
  const adminHandle = await admin.connect();
  await adminHandle.db.execute(sql.raw(`create database ${name}`));
  const own = new URL(url);
  own.pathname = `/${name}`;
  const connector = createPostgresConnector({ url: own.toString() });
  const handle = await connector.connect();
  await migrate(handle, imageMigrations);
  return {
    ...handle,
    async close() {
      await handle.close();
      await connector.close();
      await adminHandle.db.execute(sql.raw(`drop database if exists ${name} with (force)`));
      await adminHandle.close();
      await admin.close();
    },
  };
}

/** Polls until `check` holds (events are delivered asynchronously). */
export async function eventually(check: () => Promise<boolean>, timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error("condition not met in time");
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}
