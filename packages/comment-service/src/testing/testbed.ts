import type { MessageInitShape } from "@bufbuild/protobuf";
import { type CallOptions, type Client, createClient, createRouterTransport } from "@connectrpc/connect";
import { CommentService } from "@instagram/contracts/comment";
import type { EventType, Topic } from "@instagram/contracts/events";
import {
  createAuthInterceptor,
  createLogger,
  type Database,
  type EventBus,
  type EventHandlers,
  type EventSchema,
  errorBoundary,
  newId,
} from "@instagram/kit";
import {
  createInProcessBus,
  createTestDatabase,
  createTestTokens,
  eventApplied,
  type PublishedEvent,
  publishedEvents,
  type TestTokens,
  testEvent,
} from "@instagram/kit/testing";
import { inbox, outbox } from "../db/schema/index.ts";
import type { ImageOwnerLookup } from "../peers/image-owners.ts";
import { commentRoutes } from "../routes.ts";
import { createCommentServiceImpl } from "../rpc/comment-service.ts";
import { commentMigrations, startCommentWork } from "../service.ts";
import type { CommentDeps } from "../use-cases/comments.ts";

/**
 * A comment-service on a migrated in-memory PGlite and an in-process bus, called in memory.
 * Starting one takes seconds (PGlite), so a test file shares one; tests keep apart by using fresh
 * ids for every image and user.
 */
export interface Testbed {
  db: Database;
  bus: EventBus;
  deps: CommentDeps;
  client: Client<typeof CommentService>;
  tokens: TestTokens;
  /** Call options that authenticate as `userId` (token claim `username` when given). */
  as(userId: string, username?: string): Promise<CallOptions>;
  /** Sends one event on the bus as its publisher's relay would; returns its id. */
  deliver<T extends Topic, K extends EventType<T>>(
    topic: T,
    type: K,
    aggregateId: string,
    payload: MessageInitShape<EventSchema<T, K>>,
    id?: string,
  ): Promise<string>;
  /** Waits until the consumer has applied the event with this id (its inbox row exists). */
  applied(eventId: string): Promise<void>;
  /** A living image in the read model (as images.CREATED makes one); returns its id. */
  imageOf(ownerId: string): Promise<string>;
  /** Sets (or, undefined, removes) the image-service fallback of the running service. */
  useImageOwners(lookup: ImageOwnerLookup | undefined): void;
  /** The events comment-service published about these images (aggregate ids), decoded, oldest first. */
  published(...aggregateIds: string[]): Promise<PublishedEvent[]>;
  close(): Promise<void>;
}

export async function createTestbed(
  opts: { imageOwners?: ImageOwnerLookup; handlers?: EventHandlers; retryDelayMs?: number } = {},
): Promise<Testbed> {
  const handle = await createTestDatabase(commentMigrations);
  const { db } = handle;
  const logger = createLogger({ service: "comment-test", level: "silent" });
  const bus = createInProcessBus({ logger });
  let clock = Date.parse("2025-01-01T00:00:00.000Z");
  const work = await startCommentWork({
    db,
    bus,
    logger,
    imageOwners: opts.imageOwners,
    now: () => {
      clock += 1000; // one second apart: creation order is list order
      return new Date(clock);
    },
    consumerRetryDelayMs: opts.retryDelayMs ?? 10,
    handlers: opts.handlers,
  });
  const tokens = await createTestTokens();
  const transport = createRouterTransport(commentRoutes(createCommentServiceImpl(work.deps)), {
    router: { interceptors: [errorBoundary(logger), createAuthInterceptor(tokens.verifier)] },
  });

  const testbed: Testbed = {
    db,
    bus,
    deps: work.deps,
    client: createClient(CommentService, transport),
    tokens,
    async as(userId, username) {
      const claims = username === undefined ? undefined : { username };
      return { headers: { authorization: await tokens.authorizationFor(userId, claims) } };
    },
    async deliver(topic, type, aggregateId, payload, id = newId()) {
      await bus.send([testEvent(topic, type, payload, { id, aggregateId })]);
      return id;
    },
    applied: (eventId) => eventApplied(db, inbox, eventId),
    async imageOf(ownerId) {
      const imageId = newId();
      await testbed.applied(await testbed.deliver("images", "CREATED", imageId, { imageId, ownerId }));
      return imageId;
    },
    useImageOwners(lookup) {
      work.deps.imageOwners = lookup;
    },
    published: (...aggregateIds) => publishedEvents(db, outbox, { aggregateIds }),
    async close() {
      await work.stop();
      await bus.close();
      await handle.close();
    },
  };
  return testbed;
}
