import { fileURLToPath } from "node:url";
import {
  type AccessTokenVerifier,
  authServiceVerifier,
  createAuthInterceptor,
  type Database,
  databaseService,
  type EventBus,
  type EventHandlers,
  type Logger,
  type Outbox,
  type ServiceModule,
  startServiceEvents,
} from "@instagram/kit";
import { createApp } from "./app.ts";
import { COMMENTS_SCHEMA, inbox, outbox as outboxTable } from "./db/schema/index.ts";
import type { CommentEnv } from "./env.ts";
import { CONSUMER_NAME, createEventHandlers } from "./events/handlers.ts";
import { createImageOwnerLookup, type ImageOwnerLookup } from "./peers/image-owners.ts";
import { commentRoutes } from "./routes.ts";
import { createCommentServiceImpl } from "./rpc/comment-service.ts";
import type { CommentDeps } from "./use-cases/comments.ts";
import { startCommentKeySweep } from "./use-cases/key-retention.ts";

export { type CommentEnv, commentEnvSchema, loadCommentEnv } from "./env.ts";
export { COMMENTS_SCHEMA };

export const commentMigrationsFolder = fileURLToPath(new URL("./db/migrations", import.meta.url));
/** The schema and migrations of comment-service (for test databases). */
export const commentMigrations = { schema: COMMENTS_SCHEMA, migrationsFolder: commentMigrationsFolder };

export interface CommentServiceOptions {
  /** Replaces the JWKS fetched from auth-service (tests, an embedded stack that has the signer). */
  verifier?: AccessTokenVerifier;
  /** Replaces the BatchGetImageOwners client (tests). */
  imageOwners?: ImageOwnerLookup;
}

/**
 * comment-service: comments on images. Publishes `comments`; consumes `images` (which images
 * exist and who owns them) and `users` (usernames, account deletion).
 */
export function createCommentService(env: CommentEnv, opts: CommentServiceOptions = {}): ServiceModule {
  return databaseService({
    name: "comment",
    ...commentMigrations,
    async start({ db, logger, runtime, readiness }) {
      const imageOwners =
        opts.imageOwners ??
        (env.IMAGE_LOOKUP_TIMEOUT_MS > 0
          ? createImageOwnerLookup({
              discovery: runtime.discovery,
              timeoutMs: env.IMAGE_LOOKUP_TIMEOUT_MS,
              instances: runtime.instances,
            })
          : undefined);
      const running = await startCommentWork({
        db,
        bus: runtime.bus,
        logger,
        imageOwners,
        inboxRetentionMs: env.INBOX_RETENTION_SECONDS * 1000,
      });
      const verifier = opts.verifier ?? authServiceVerifier(env.JWT_ISSUER, runtime);
      const interceptors = [createAuthInterceptor(verifier)];
      const routes = commentRoutes(createCommentServiceImpl(running.deps));
      const app = createApp({ routes, interceptors, logger, readiness });
      return { app, routes, interceptors, stop: running.stop };
    },
  });
}

/** The outbox relay, the event consumer and the key sweep, and the use-case deps wired to them. */
export async function startCommentWork(opts: {
  db: Database;
  bus: EventBus;
  logger: Logger;
  imageOwners?: ImageOwnerLookup;
  now?: () => Date;
  consumerRetryDelayMs?: number;
  /** How long the inbox keeps processed event ids (INBOX_RETENTION_SECONDS); default the kit's. */
  inboxRetentionMs?: number;
  /** Replaces the event handlers (tests that inject faults). */
  handlers?: EventHandlers;
}): Promise<{ deps: CommentDeps; stop(): Promise<void> }> {
  const { db, bus, logger } = opts;
  const now = opts.now ?? (() => new Date());
  const handlers = (outbox: Outbox) => opts.handlers ?? createEventHandlers({ outbox, now });
  const consumer = {
    name: CONSUMER_NAME,
    inbox,
    handlers,
    retryDelayMs: opts.consumerRetryDelayMs,
    inboxRetention: { keepMs: opts.inboxRetentionMs },
  };
  const events = await startServiceEvents({ db, bus, logger, outbox: outboxTable, consumer });
  const keySweep = startCommentKeySweep({ db, logger, now });
  const deps: CommentDeps = { db, outbox: events.outbox, logger, imageOwners: opts.imageOwners, now };
  return {
    deps,
    async stop() {
      await keySweep.stop();
      await events.stop();
    },
  };
}
