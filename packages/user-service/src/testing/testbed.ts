// A user-service in memory for tests: migrated PGlite, the real routes behind the kit's auth
// interceptor (createRouterTransport), the real consumer fed event by event.
import type { MessageInitShape } from "@bufbuild/protobuf";
import { timestampFromDate } from "@bufbuild/protobuf/wkt";
import { type Client, createClient, createRouterTransport, type Interceptor } from "@connectrpc/connect";
import type { EventType, Topic } from "@instagram/contracts/events";
import { UserService } from "@instagram/contracts/user";
import {
  createAuthInterceptor,
  createLogger,
  createOutbox,
  type Database,
  type EventBus,
  type EventEnvelope,
  type EventSchema,
  errorBoundary,
  newId,
  type Outbox,
  startConsumer,
} from "@instagram/kit";
import {
  createTestDatabase,
  createTestTokens,
  type PublishedEvent,
  publishedEvents,
  type TestTokens,
  testEvent,
} from "@instagram/kit/testing";
import { sql } from "drizzle-orm";
import { follows, inbox, outbox as outboxTable, ownedImages, profiles } from "../db/schema/index.ts";
import { CONSUMER_NAME, createEventHandlers } from "../events/handlers.ts";
import { createUserRoutes, userMigrations } from "../service.ts";

export interface TestUser {
  id: string;
  username: string;
  /** A UserService client calling as this user. */
  client: Client<typeof UserService>;
}

export interface Testbed {
  db: Database;
  outbox: Outbox;
  tokens: TestTokens;
  /** A client calling as `userId`, or anonymously. */
  client(userId?: string): Client<typeof UserService>;
  /** A client sending this Authorization header as it is. */
  clientWithAuthorization(header: string): Client<typeof UserService>;
  /** Hands one event to user-service's consumer and waits until it is applied. */
  deliver<T extends Topic, K extends EventType<T>>(
    topic: T,
    type: K,
    payload: MessageInitShape<EventSchema<T, K>>,
    opts?: { id?: string; aggregateId?: string },
  ): Promise<EventEnvelope>;
  /** Redelivers an event exactly as it was (same id). */
  redeliver(event: EventEnvelope): Promise<void>;
  /** accounts.CREATED for a new account; returns it with a client acting as it. */
  signUp(username: string): Promise<TestUser>;
  /** Events in the outbox, oldest first, payloads decoded. */
  published(filter?: { type?: string }): Promise<PublishedEvent[]>;
  /** Events the consumer gave up on (dead letters). */
  deadLetters: EventEnvelope[];
  /** Empties every table (a fresh PGlite per test is too slow). */
  reset(): Promise<void>;
  close(): Promise<void>;
}

/** An EventBus that hands each event straight to the subscriber and waits for it. */
function createHandBus(deadLetters: EventEnvelope[]) {
  let handle: ((event: EventEnvelope) => Promise<void>) | undefined;
  const bus: EventBus = {
    async send(events) {
      deadLetters.push(...events);
    },
    async subscribe(spec) {
      handle = spec.handle;
      return {
        async close() {
          handle = undefined;
        },
      };
    },
    async ping() {},
    async close() {},
  };
  return {
    bus,
    async hand(event: EventEnvelope) {
      if (handle === undefined) throw new Error("no consumer subscribed");
      await handle(event);
    },
  };
}

export async function createTestbed(): Promise<Testbed> {
  const handle = await createTestDatabase(userMigrations);
  const db = handle.db;
  const tokens = await createTestTokens();
  const logger = createLogger({ service: "user-test", level: "silent" });
  const outbox = createOutbox(outboxTable);
  const routes = createUserRoutes({ db, outbox });
  const deadLetters: EventEnvelope[] = [];
  const { bus, hand } = createHandBus(deadLetters);
  const consumer = await startConsumer({
    name: CONSUMER_NAME,
    db,
    inbox,
    bus,
    handlers: createEventHandlers(outbox),
    logger,
    maxAttempts: 1,
  });

  function clientAuthorizedBy(authorization: () => Promise<string | undefined>): Client<typeof UserService> {
    const authorize: Interceptor = (next) => async (req) => {
      const header = await authorization();
      if (header !== undefined) req.header.set("authorization", header);
      return next(req);
    };
    const transport = createRouterTransport(routes, {
      router: { interceptors: [errorBoundary(logger), createAuthInterceptor(tokens.verifier)] },
      transport: { interceptors: [authorize] },
    });
    return createClient(UserService, transport);
  }

  function client(userId?: string): Client<typeof UserService> {
    return clientAuthorizedBy(async () =>
      userId === undefined ? undefined : tokens.authorizationFor(userId),
    );
  }

  const testbed: Testbed = {
    db,
    outbox,
    tokens,
    client,
    clientWithAuthorization: (header) => clientAuthorizedBy(async () => header),
    deadLetters,
    async deliver(topic, type, payload, opts) {
      const event = testEvent(topic, type, payload, opts);
      await hand(event);
      return event;
    },
    async redeliver(event) {
      await hand(event);
    },
    async signUp(username) {
      const id = newId();
      await testbed.deliver(
        "accounts",
        "CREATED",
        { accountId: id, username, createdAt: timestampFromDate(new Date()) },
        { aggregateId: id },
      );
      return { id, username, client: client(id) };
    },
    published: (filter) => publishedEvents(db, outboxTable, filter),
    async reset() {
      await db.execute(
        sql`truncate ${follows}, ${ownedImages}, ${profiles}, ${outboxTable}, ${inbox} restart identity`,
      );
      deadLetters.length = 0;
    },
    async close() {
      await consumer.stop();
      await handle.close();
    },
  };
  return testbed;
}
