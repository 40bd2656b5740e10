import { Code, ConnectError } from "@connectrpc/connect";
import {
  type Consumer,
  createLogger,
  createOutbox,
  type EventEnvelope,
  type EventHandlers,
  newId,
  startConsumer,
  type Transaction,
} from "@instagram/kit";
import { and, eq, inArray } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { authors, comments, inbox, knownImages, outbox } from "../db/schema/index.ts";
import { createTestbed, type Testbed } from "../testing/testbed.ts";
import { CONSUMER_NAME, createEventHandlers } from "./handlers.ts";

type AnyHandler = (tx: Transaction, payload: unknown, event: EventEnvelope) => Promise<void>;

/** What a test makes happen around the real handler, for one event id. */
interface Fault {
  attempts: number;
  before?(tx: Transaction, attempt: number): Promise<void>;
  after?(tx: Transaction, attempt: number): Promise<void>;
}

const logger = createLogger({ service: "comment-test", level: "silent" });
const faults = new Map<string, Fault>();
let testbed: Testbed;
let consumer: Consumer;

/** The real handlers, with the faults the tests plan run around them, inside the event's transaction. */
function faultyHandlers(): EventHandlers {
  const real = createEventHandlers({ outbox: createOutbox(outbox), now: () => new Date() }) as Record<
    string,
    Record<string, AnyHandler>
  >;
  const wrapped: Record<string, Record<string, AnyHandler>> = {};
  for (const [topic, types] of Object.entries(real)) {
    wrapped[topic] = {};
    for (const [type, handler] of Object.entries(types)) {
      wrapped[topic][type] = async (tx, payload, event) => {
        const fault = faults.get(event.id);
        const attempt = fault === undefined ? 0 : ++fault.attempts;
        await fault?.before?.(tx, attempt);
        await handler(tx, payload, event);
        await fault?.after?.(tx, attempt);
      };
    }
  }
  return wrapped as EventHandlers;
}

function startCommentConsumer(retryDelayMs = 10): Promise<Consumer> {
  return startConsumer({
    name: CONSUMER_NAME,
    db: testbed.db,
    inbox,
    bus: testbed.bus,
    handlers: faultyHandlers(),
    logger,
    maxAttempts: 50,
    retryDelayMs,
  });
}

beforeAll(async () => {
  // The service's own consumer handles nothing here: the tests run (and kill) their own.
  testbed = await createTestbed({ handlers: {} });
  consumer = await startCommentConsumer();
}, 120_000);

afterAll(async () => {
  await consumer.stop();
  await testbed.close();
});

async function comment(imageId: string, authorId: string, text = "nice"): Promise<string> {
  const { comment } = await testbed.client.createComment({ imageId, text }, await testbed.as(authorId));
  return comment?.id ?? "";
}

async function commentIdsOn(...imageIds: string[]): Promise<string[]> {
  const rows = await testbed.db
    .select({ id: comments.id })
    .from(comments)
    .where(inArray(comments.imageId, imageIds))
    .orderBy(comments.id);
  return rows.map((row) => row.id);
}

async function deletedEventsFor(...imageIds: string[]): Promise<string[]> {
  const events = await testbed.published(...imageIds);
  return events.filter((e) => e.type === "DELETED").map((e) => String(e.payload.commentId));
}

async function codeOf(promise: Promise<unknown>): Promise<Code | undefined> {
  return promise.then(
    () => undefined,
    (error: unknown) => ConnectError.from(error).code,
  );
}

/** A user who owns an image with comments from others, and who commented on someone else's image. */
async function cascadeScene() {
  const victim = newId();
  const friend = newId();
  const victimsImage = await testbed.imageOf(victim);
  const friendsImage = await testbed.imageOf(friend);
  const theirs = [await comment(friendsImage, victim, "one"), await comment(friendsImage, victim, "two")];
  const onTheirImage = [await comment(victimsImage, victim), await comment(victimsImage, friend)];
  const friendsOwn = await comment(friendsImage, friend);
  return { victim, friend, victimsImage, friendsImage, theirs, onTheirImage, friendsOwn };
}

describe("images events", () => {
  it("images.DELETED removes every comment on that image and nothing else, without comments.DELETED", async () => {
    const owner = newId();
    const doomed = await testbed.imageOf(owner);
    const kept = await testbed.imageOf(owner);
    await comment(doomed, newId());
    await comment(doomed, owner);
    const survivor = await comment(kept, newId());

    await testbed.applied(
      await testbed.deliver("images", "DELETED", doomed, { imageId: doomed, ownerId: owner }),
    );
    expect(await commentIdsOn(doomed)).toEqual([]);
    expect(await commentIdsOn(kept)).toEqual([survivor]);
    expect(await deletedEventsFor(doomed)).toEqual([]);
    expect(
      await codeOf(testbed.client.createComment({ imageId: doomed, text: "late" }, await testbed.as(owner))),
    ).toBe(Code.NotFound);
  });

  it("a CREATED that arrives after the DELETED (another event id) does not bring the image back", async () => {
    const owner = newId();
    const image = newId();
    await testbed.applied(
      await testbed.deliver("images", "DELETED", image, { imageId: image, ownerId: owner }),
    );
    await testbed.applied(
      await testbed.deliver("images", "CREATED", image, { imageId: image, ownerId: owner }),
    );
    const rows = await testbed.db.select().from(knownImages).where(eq(knownImages.imageId, image));
    expect(rows).toHaveLength(1);
    expect(rows[0]?.deletedAt).not.toBeNull();
  });
});

describe("users.DELETED (the account-deletion cascade)", () => {
  it("removes the user's comments everywhere and everyone's on their images, publishing comments.DELETED for theirs", async () => {
    const scene = await cascadeScene();
    await testbed.applied(
      await testbed.deliver("users", "DELETED", scene.victim, { userId: scene.victim, username: "victim" }),
    );

    expect(await commentIdsOn(scene.victimsImage)).toEqual([]);
    expect(await commentIdsOn(scene.friendsImage)).toEqual([scene.friendsOwn]);
    const remainingByVictim = await testbed.db
      .select()
      .from(comments)
      .where(eq(comments.authorId, scene.victim));
    expect(remainingByVictim).toEqual([]);
    // One comments.DELETED per comment of theirs on someone else's image, keyed by that image.
    const deleted = (await testbed.published(scene.friendsImage)).filter((e) => e.type === "DELETED");
    expect(deleted.map((e) => e.payload.commentId).sort()).toEqual([...scene.theirs].sort());
    expect(
      deleted.every((e) => e.aggregateId === scene.friendsImage && e.payload.authorId === scene.victim),
    ).toBe(true);
    expect(await deletedEventsFor(scene.victimsImage)).toEqual([]);
    // Their image takes no new comments, even before image-service's images.DELETED arrives.
    const late = testbed.client.createComment(
      { imageId: scene.victimsImage, text: "hello?" },
      await testbed.as(scene.friend),
    );
    expect(await codeOf(late)).toBe(Code.NotFound);
  });
});

describe("users.DELETED before the images.CREATED of their last upload (topics are not ordered together)", () => {
  it("remembers that image as deleted: nobody can comment on it", async () => {
    const owner = newId();
    const image = newId();
    await testbed.applied(
      await testbed.deliver("users", "DELETED", owner, { userId: owner, username: "gone" }),
    );
    await testbed.applied(
      await testbed.deliver("images", "CREATED", image, { imageId: image, ownerId: owner }),
    );
    const attempt = testbed.client.createComment({ imageId: image, text: "hi" }, await testbed.as(newId()));
    expect(await codeOf(attempt)).toBe(Code.NotFound);
  });
});

describe("idempotence and resumption", () => {
  it("a redelivered event changes nothing (an old rename does not come back)", async () => {
    const user = newId();
    const first = await testbed.deliver("users", "UPDATED", user, { userId: user, username: "first.name" });
    await testbed.applied(first);
    await testbed.applied(
      await testbed.deliver("users", "UPDATED", user, { userId: user, username: "second.name" }),
    );
    await testbed.deliver("users", "UPDATED", user, { userId: user, username: "first.name" }, first); // redelivery
    await testbed.applied(
      await testbed.deliver("users", "UPDATED", newId(), { userId: newId(), username: "marker" }),
    );

    const rows = await testbed.db.select().from(authors).where(eq(authors.userId, user));
    expect(rows.map((row) => row.username)).toEqual(["second.name"]);
    const inboxRows = await testbed.db
      .select()
      .from(inbox)
      .where(and(eq(inbox.consumer, CONSUMER_NAME), eq(inbox.eventId, first)));
    expect(inboxRows).toHaveLength(1);
  });

  it("a redelivered users.DELETED publishes nothing more", async () => {
    const scene = await cascadeScene();
    const id = await testbed.deliver("users", "DELETED", scene.victim, {
      userId: scene.victim,
      username: "v",
    });
    await testbed.applied(id);
    const before = await deletedEventsFor(scene.friendsImage, scene.victimsImage);
    await testbed.deliver("users", "DELETED", scene.victim, { userId: scene.victim, username: "v" }, id);
    await testbed.applied(
      await testbed.deliver("users", "UPDATED", newId(), { userId: newId(), username: "marker" }),
    );
    expect(await deletedEventsFor(scene.friendsImage, scene.victimsImage)).toEqual(before);
    expect(before).toHaveLength(2);
  });

  it("a handler that fails midway leaves no partial effect, and the retry does it all once", async () => {
    const scene = await cascadeScene();
    const eventId = newId();
    const seenOnRetry: { comments: string[]; events: string[] }[] = [];
    faults.set(eventId, {
      attempts: 0,
      async before(tx, attempt) {
        if (attempt < 2) return;
        // What the failed attempt left behind, seen from inside the retry's transaction.
        const left = await tx
          .select({ id: comments.id })
          .from(comments)
          .where(eq(comments.authorId, scene.victim));
        const events = await tx.select().from(outbox).where(eq(outbox.aggregateId, scene.friendsImage));
        seenOnRetry.push({ comments: left.map((row) => row.id), events: events.map((row) => row.type) });
      },
      async after(_tx, attempt) {
        if (attempt === 1) throw new Error("injected failure after the cascade's work");
      },
    });
    await testbed.deliver("users", "DELETED", scene.victim, { userId: scene.victim, username: "v" }, eventId);
    await testbed.applied(eventId);

    expect(faults.get(eventId)?.attempts).toBe(2);
    expect(seenOnRetry).toHaveLength(1);
    expect(seenOnRetry[0]?.comments.sort()).toEqual([...scene.theirs, scene.onTheirImage[0]].sort());
    expect(seenOnRetry[0]?.events).toEqual(["CREATED", "CREATED", "CREATED"]); // no DELETED yet
    expect(await commentIdsOn(scene.victimsImage)).toEqual([]);
    expect(await commentIdsOn(scene.friendsImage)).toEqual([scene.friendsOwn]);
    expect((await deletedEventsFor(scene.friendsImage)).sort()).toEqual([...scene.theirs].sort());
  });

  it("a consumer killed mid-cascade is replaced by one that finishes it", async () => {
    const scene = await cascadeScene();
    const eventId = newId();
    let crashed!: () => void;
    const crash = new Promise<void>((resolve) => {
      crashed = resolve;
    });
    faults.set(eventId, {
      attempts: 0,
      async after(_tx, attempt) {
        if (attempt === 1) {
          crashed();
          throw new Error("the process dies before committing");
        }
      },
    });
    // The running consumer would retry quickly; this one waits a minute, so only its successor can finish.
    await consumer.stop();
    consumer = await startCommentConsumer(60_000);
    await testbed.deliver("users", "DELETED", scene.victim, { userId: scene.victim, username: "v" }, eventId);
    await crash;
    await consumer.stop(); // killed: its transaction never committed
    expect(await commentIdsOn(scene.victimsImage)).toHaveLength(2);

    consumer = await startCommentConsumer(); // the restarted service, same consumer group
    await testbed.applied(eventId);
    expect(faults.get(eventId)?.attempts).toBe(2);
    expect(await commentIdsOn(scene.victimsImage)).toEqual([]);
    expect(await commentIdsOn(scene.friendsImage)).toEqual([scene.friendsOwn]);
    expect((await deletedEventsFor(scene.friendsImage)).sort()).toEqual([...scene.theirs].sort());
  }, 30_000); // stopping a consumer that is between retries can take one backoff (≤ 5 s)
});
