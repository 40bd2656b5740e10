import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { createArgon2Hasher } from "@instagram/auth-service/passwords";
import { comments } from "@instagram/comment-service/schema";
import {
  feedFollows,
  imageMentions,
  images,
  imageTags,
  likes,
  owners,
  timelineEntries,
} from "@instagram/image-service/schema";
import { rebuildTimelines } from "@instagram/image-service/timelines";
import { type Database, migrate, rowsOf } from "@instagram/kit";
import { createPostgresConnector } from "@instagram/kit/node";
import { follows } from "@instagram/user-service/schema";
import { sql } from "drizzle-orm";
import { linkImageFiles, pictureJpeg, removeImageFiles } from "./blobs.ts";
import { deleteEventTopics } from "./event-topics.ts";
import { degrees, planDataset } from "./plan.ts";
import { type Person, planSettle, type SettleActor } from "./settle-plan.ts";
import { tableName } from "./sql-values.ts";
import {
  buildIndexes,
  countCounterMismatches,
  countRows,
  createIndexTables,
  dropIndexes,
  writeComments,
  writeFollows,
  writeImages,
  writeLikes,
  writeUsers,
} from "./write.ts";

export type { Person, SettleActor } from "./settle-plan.ts";

export interface DatasetOptions {
  /** PostgreSQL holding (or to hold) every service's schema: the distributed mode's DATABASE_URL. */
  databaseUrl?: string;
  /** Or a drizzle database over every schema, e.g. the embedded stack's PGlite (small scales). */
  database?: Database;
  /** image-service's BLOB_DIR. */
  blobDir: string;
  users: number;
  images: number;
  /** Mean accounts followed per user; default 180 (most users follow 50–500). */
  averageFollows?: number;
  /** Default 5 per image (1M for 200k images). */
  likes?: number;
  /** Default one per two images (100k for 200k images). */
  comments?: number;
  /** Zipf exponent of popularity; default 0.8 (at 10k users, ~15 accounts have 5k+ followers). */
  popularityExponent?: number;
  seed?: number;
  /** The one password of every account; default "bench-password". */
  password?: string;
  usernamePrefix?: string;
  /** image-service's FEED_TIMELINE_DAYS; default 30. */
  timelineDays?: number;
  /** image-service's FEED_FAN_OUT_MAX_FOLLOWERS: accounts past it are merged into feeds on read; default 1000. */
  fanOutMaxFollowers?: number;
  /**
   * The services' Kafka brokers: on a reset their event topics are deleted too, so that events of
   * the previous dataset are not replayed into the new one. Without it, reset with a fresh broker.
   */
  kafkaBrokers?: string;
  /** Empty every service's tables (and the blob dir's objects/) first; otherwise they must be empty. */
  reset?: boolean;
  /** Actors prepared for the event-settle scenario, and follows/likes per actor; default 200 × 10. */
  settleActors?: number;
  settlePerActor?: number;
  onProgress?: (phase: string, ms: number) => void;
}

export interface Dataset {
  password: string;
  users: Person[];
  /** The most-followed accounts, most first (ids). */
  celebrities: string[];
  /** Up to 1000 image ids spread over the whole dataset. */
  sampleImageIds: string[];
  /** People and single-use writes for `measureEventSettle`. */
  settle: { actors: SettleActor[]; feedPageLimit: number };
  counts: Record<string, number>;
  phases: { phase: string; ms: number }[];
}

const require = createRequire(import.meta.url);
/** The feed's default page: a follow shows when the image is on the first page people see. */
const SETTLE_FEED_PAGE_LIMIT = 20;
/** The big tables: their secondary indexes are built once after the load (withIndexesRebuilt). */
const BULK_TABLES = [
  follows,
  feedFollows,
  images,
  imageTags,
  imageMentions,
  likes,
  comments,
  timelineEntries,
];
const SCHEMAS = [
  { schema: "auth", service: "auth-service" },
  { schema: "users", service: "user-service" },
  { schema: "images", service: "image-service" },
  { schema: "comments", service: "comment-service" },
] as const;

/**
 * Writes a realistic graph straight into every service's tables — accounts, profiles, follows,
 * images and their files, likes, comments, every read model and counter, the feed's tables —
 * exactly as the API would have left them (no pending events), then checks the counters.
 */
export async function generateDataset(options: DatasetOptions): Promise<Dataset> {
  const phases: Dataset["phases"] = [];
  const timed = async <T>(phase: string, work: () => Promise<T> | T): Promise<T> => {
    const started = performance.now();
    const result = await work();
    const ms = Math.round(performance.now() - started);
    phases.push({ phase, ms });
    options.onProgress?.(phase, ms);
    return result;
  };
  // One connection: the index tables are temporary, and one writer is what 2 cores can feed.
  const connector =
    options.database === undefined
      ? createPostgresConnector({ url: required(options.databaseUrl, "databaseUrl or database"), max: 1 })
      : undefined;
  const handle = connector === undefined ? undefined : await connector.connect();
  const db = options.database ?? (handle?.db as Database);
  try {
    return await generate(db, options, timed, phases);
  } finally {
    await handle?.close();
    await connector?.close();
  }
}

async function generate(
  db: Database,
  options: DatasetOptions,
  timed: <T>(phase: string, work: () => Promise<T> | T) => Promise<T>,
  phases: Dataset["phases"],
): Promise<Dataset> {
  const password = options.password ?? "bench-password";
  const timelineDays = options.timelineDays ?? 30;
  const now = Date.now();
  await timed("schemas", () => migrateSchemas(db));
  await timed(options.reset === true ? "reset" : "empty check", () => emptyOrReset(db, options));
  const plan = await timed("plan", () =>
    planDataset({
      users: options.users,
      images: options.images,
      averageFollows: options.averageFollows ?? 180,
      likes: options.likes ?? options.images * 5,
      comments: options.comments ?? Math.round(options.images / 2),
      popularityExponent: options.popularityExponent ?? 0.8,
      seed: options.seed ?? 1,
      now,
      usernamePrefix: options.usernamePrefix ?? "bench_",
    }),
  );
  const passwordHash = await timed("password hash", () => createArgon2Hasher().hash(password));
  const { bytes, picture } = await pictureJpeg();
  const imageCount = plan.images.ids.length;
  const likesCount = degrees(imageCount, plan.likes.image);
  const commentsCount = degrees(imageCount, plan.comments.image);
  const imagesCount = degrees(plan.users.ids.length, plan.images.owner);

  await timed("index tables", () => createIndexTables(db, plan));
  const checksOff = await skipForeignKeyChecks(db);
  try {
    await db.transaction(async (tx) => {
      const indexes = await dropIndexes(tx, BULK_TABLES);
      await timed("accounts, profiles, owners, authors", () =>
        writeUsers(tx, plan, passwordHash, imagesCount),
      );
      await timed("follows, feed_follows", () => writeFollows(tx, plan));
      await timed("images, tags, mentions, owned/known images", () =>
        writeImages(tx, plan, picture, likesCount, commentsCount),
      );
      await timed("likes", () => writeLikes(tx, plan));
      await timed("comments", () => writeComments(tx, plan));
      // image-service's own bulk rule for the fan-out-on-write timelines.
      const horizon = new Date(now - timelineDays * 86_400_000);
      const fanOutLimit = options.fanOutMaxFollowers ?? 1000;
      await timed("timelines", async () => {
        // Statistics first: the tables were empty when last looked at, and the rebuild joins them.
        await tx.execute(sql`analyze ${tableName(images)}, ${tableName(owners)}, ${tableName(feedFollows)}`);
        return rebuildTimelines(tx, { horizon, fanOutLimit });
      });
      await timed("indexes and keys", () => buildIndexes(tx, indexes));
    });
  } finally {
    if (checksOff) await db.execute(sql`reset session_replication_role`);
  }
  await timed("image files", () => linkImageFiles(options.blobDir, plan.images.ids, bytes));
  await timed("analyze", () => db.execute(sql`analyze`));
  const mismatches = await timed("counter check", () => countCounterMismatches(db));
  if (mismatches !== 0) throw new Error(`dataset counters disagree with their rows in ${mismatches} places`);
  const counts = await countRows(db);

  const settle = await timed("settle plan", () =>
    planSettle(plan, {
      actors: options.settleActors ?? 200,
      perActor: options.settlePerActor ?? 10,
      feedPageLimit: SETTLE_FEED_PAGE_LIMIT,
      seed: options.seed ?? 1,
    }),
  );
  const followers = degrees(plan.users.ids.length, plan.follows.followee);
  const byFollowers = [...plan.users.ids.keys()].sort(
    (a, b) => (followers[b] as number) - (followers[a] as number),
  );
  const step = Math.max(1, Math.floor(imageCount / 1000));
  return {
    password,
    users: plan.users.ids.map((id, i) => ({ id, username: plan.users.usernames[i] as string })),
    celebrities: byFollowers.slice(0, 10).map((user) => plan.users.ids[user] as string),
    sampleImageIds: plan.images.ids.filter((_, i) => i % step === 0).slice(0, 1000),
    settle: { actors: settle, feedPageLimit: SETTLE_FEED_PAGE_LIMIT },
    counts,
    phases,
  };
}

/** Every service's migrations, the same ones the services run at start. */
async function migrateSchemas(db: Database): Promise<void> {
  const handle = { db, ping: async () => {}, close: async () => {} };
  for (const { schema, service } of SCHEMAS) {
    const migrationsFolder = join(dirname(require.resolve(`@instagram/${service}`)), "db", "migrations");
    await migrate(handle, { schema, migrationsFolder });
  }
}

/** Empties every service's tables and the image files, when asked to; otherwise insists on no accounts. */
async function emptyOrReset(db: Database, options: DatasetOptions): Promise<void> {
  if (options.reset !== true) {
    const [row] = rowsOf(await db.execute(sql`select exists (select 1 from auth.accounts) as taken`));
    if (row?.taken === true)
      throw new Error("the database already has accounts: pass reset: true to replace them");
    return;
  }
  const tables = rowsOf(
    await db.execute(sql`select format('%I.%I', schemaname, tablename) as name from pg_tables
      where schemaname in ('auth', 'users', 'images', 'comments') and tablename <> '__drizzle_migrations'`),
  ).map((row) => String(row.name));
  await db.execute(sql.raw(`truncate ${tables.join(", ")} restart identity`));
  await removeImageFiles(options.blobDir);
  if (options.kafkaBrokers !== undefined) await deleteEventTopics(options.kafkaBrokers);
}

/**
 * Every row written refers to rows written before it (ids come from the index tables), so the
 * per-row foreign-key triggers only cost time — most of it, on follows, likes and timelines. As
 * pg_restore --disable-triggers does, they are skipped when the role may (a superuser); the
 * counter check and the orphan audit then look at the result.
 */
async function skipForeignKeyChecks(db: Database): Promise<boolean> {
  try {
    await db.execute(sql`set session_replication_role = replica`);
    return true;
  } catch {
    return false;
  }
}

function required<T>(value: T | undefined, what: string): T {
  if (value === undefined) throw new Error(`generateDataset needs ${what}`);
  return value;
}
