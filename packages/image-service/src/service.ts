import { fileURLToPath } from "node:url";
import {
  type AccessTokenVerifier,
  authServiceVerifier,
  createAuthInterceptor,
  type Database,
  databaseService,
  dependencyReadiness,
  type EventBus,
  type Logger,
  type ServiceEvents,
  type ServiceModule,
  startServiceEvents,
} from "@instagram/kit";
import { createApp } from "./app.ts";
import type { BlobStore } from "./blobs/blob-store.ts";
import { openConfiguredBlobStore } from "./blobs/configured-blob-store.ts";
import { inbox, outbox as outboxTable } from "./db/schema/index.ts";
import { defaultFeedPolicy, type FeedPolicy, feedPolicy } from "./domain/feed-policy.ts";
import type { ImageEnv } from "./env.ts";
import { imageEventHandlers } from "./events/image-consumers.ts";
import { createSharpProcessor } from "./processing/sharp-processor.ts";
import { createRoutes } from "./routes.ts";
import { startBlobReaper } from "./use-cases/blob-reaper.ts";
import type { ImageStore } from "./use-cases/image-store.ts";
import { startImageKeySweep } from "./use-cases/key-retention.ts";
import { startTimelineTrimmer } from "./use-cases/timeline-trimmer.ts";

export { type ImageEnv, imageEnvSchema, loadImageEnv } from "./env.ts";

export const IMAGES_SCHEMA = "images";
export const CONSUMER_NAME = "image-service";
const migrationsFolder = fileURLToPath(new URL("./db/migrations", import.meta.url));
/** The schema and migrations of image-service (for test databases). */
export const imageMigrations = { schema: IMAGES_SCHEMA, migrationsFolder };

/**
 * image-service: uploads, image files, likes, tags and mentions. Publishes `images`; consumes
 * `users` (owners read model, account deletion) and `comments` (commentsCount).
 * `verifier` replaces the JWKS fetched from auth-service (tests, the embedded stack).
 */
export function createImageService(
  env: ImageEnv,
  opts: { verifier?: AccessTokenVerifier } = {},
): ServiceModule {
  return databaseService({
    name: "image",
    ...imageMigrations,
    async start({ db, logger, runtime }) {
      const blobs = await openConfiguredBlobStore(env);
      const verifier = opts.verifier ?? authServiceVerifier(env.JWT_ISSUER, runtime);
      const running = await startImageWork({
        db,
        bus: runtime.bus,
        logger,
        blobs,
        feedPolicy: feedPolicy({
          timelineDays: env.FEED_TIMELINE_DAYS,
          fanOutLimit: env.FEED_FAN_OUT_MAX_FOLLOWERS,
        }),
        inboxRetentionMs: env.INBOX_RETENTION_SECONDS * 1000,
      });
      const routes = createRoutes(running.store);
      const interceptors = [createAuthInterceptor(verifier)];
      const app = createApp({
        store: running.store,
        routes,
        interceptors,
        verifier,
        processor: createSharpProcessor({
          scratchPath: (suffix) => blobs.scratchPath(suffix),
          maxInputPixels: env.MAX_INPUT_PIXELS,
          renderConcurrency: env.RENDER_CONCURRENCY,
        }),
        maxUploadBytes: env.MAX_UPLOAD_BYTES,
        // The kit's checks (database, bus; each within a timeout) and the blob store's.
        readiness: dependencyReadiness({ db, bus: runtime.bus, others: { blobs: () => blobs.ping() } }),
      });
      return { app, routes, interceptors, stop: running.stop };
    },
  });
}

/**
 * The outbox relay, the blob reaper, the timeline trimmer, the key sweep and the event consumer,
 * and the ImageStore wired to them.
 */
export async function startImageWork(deps: {
  db: Database;
  bus: EventBus;
  logger: Logger;
  blobs: BlobStore;
  feedPolicy?: FeedPolicy;
  reaperIntervalMs?: number;
  /** How long the inbox keeps processed event ids (INBOX_RETENTION_SECONDS); default the kit's. */
  inboxRetentionMs?: number;
}): Promise<{ store: ImageStore; stop(): Promise<void> }> {
  const { db, bus, logger, blobs } = deps;
  const policy = deps.feedPolicy ?? defaultFeedPolicy;
  const reaper = startBlobReaper({ db, blobs, logger, intervalMs: deps.reaperIntervalMs });
  const trimmer = startTimelineTrimmer({ db, policy, logger });
  const keySweep = startImageKeySweep({ db, logger });
  let events: ServiceEvents;
  try {
    events = await startServiceEvents({
      db,
      bus,
      logger,
      outbox: outboxTable,
      consumer: {
        name: CONSUMER_NAME,
        inbox,
        // The kick comes before the commit; the reaper's pass starts 50 ms later (debounced), and a
        // pass that still misses the claims leaves them to the next periodic one.
        handlers: (outbox) =>
          imageEventHandlers({ outbox, feedPolicy: policy, afterUserRemoved: () => reaper.kick() }),
        inboxRetention: { keepMs: deps.inboxRetentionMs },
      },
    });
  } catch (error) {
    await Promise.all([reaper.stop(), trimmer.stop(), keySweep.stop()]);
    throw error;
  }
  void reaper.run();
  const store: ImageStore = {
    db,
    outbox: events.outbox,
    blobs,
    logger,
    feedPolicy: policy,
    kickReaper: () => reaper.kick(),
  };
  return {
    store,
    async stop() {
      await events.stop();
      await Promise.all([reaper.stop(), trimmer.stop(), keySweep.stop()]);
    },
  };
}
