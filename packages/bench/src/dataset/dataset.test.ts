import { mkdtemp, readdir, rm, stat } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { auditOrphans } from "@instagram/audit";
import { createArgon2Hasher } from "@instagram/auth-service/passwords";
import { type Database, type DatabaseConnector, rowsOf } from "@instagram/kit";
import { createPgliteConnector } from "@instagram/kit/node";
import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { blobPathOf } from "./blobs.ts";
import { type Dataset, generateDataset } from "./index.ts";

// The whole generator on PGlite at a small scale: every service's migrations, every table, then
// the orphan audit and the counters, as the distributed run does on PostgreSQL.
let connector: DatabaseConnector;
let db: Database;
let blobDir: string;
let dataset: Dataset;

beforeAll(async () => {
  connector = createPgliteConnector({ memory: true });
  db = (await connector.connect()).db;
  blobDir = await mkdtemp(join(tmpdir(), "dataset-blobs-"));
  dataset = await generateDataset({
    database: db,
    blobDir,
    users: 120,
    images: 600,
    averageFollows: 20,
    likes: 1500,
    comments: 300,
    settleActors: 5,
    settlePerActor: 4,
  });
}, 180_000);

afterAll(async () => {
  await connector.close();
  await rm(blobDir, { recursive: true, force: true });
});

async function one(query: ReturnType<typeof sql>): Promise<Record<string, unknown>> {
  return rowsOf(await db.execute(query))[0] ?? {};
}

describe("generateDataset", () => {
  it("leaves nothing the orphan audit objects to, files included", async () => {
    expect(await auditOrphans({ database: db, blobDir })).toEqual([]);
  });

  it("writes every table with exact counters and no pending events", async () => {
    expect(dataset.counts).toMatchObject({
      accounts: 120,
      images: 600,
      likes: 1500,
      comments: 300,
      pendingOutbox: 0,
    });
    expect(dataset.counts.follows).toBeGreaterThan(120 * 10);
    const row = await one(sql`select
      (select count(*) from images.feed_follows)::int as feed_follows,
      (select count(*) from images.owners)::int as owners,
      (select count(*) from comments.authors)::int as authors,
      (select count(*) from comments.known_images)::int as known_images,
      (select count(*) from users.owned_images)::int as owned_images,
      (select sum(likes_count) from images.images)::int as likes_counted,
      (select sum(followers_count) from users.profiles)::int as followers_counted`);
    expect(row).toEqual({
      feed_follows: dataset.counts.follows,
      owners: 120,
      authors: 120,
      known_images: 600,
      owned_images: 600,
      likes_counted: 1500,
      followers_counted: dataset.counts.follows,
    });
  });

  it("fans out the last 30 days' images to their owners and followers", async () => {
    const row = await one(sql`select
      (select count(*) from images.timeline_entries)::int as entries,
      (select count(*) from images.images where created_at >= now() - interval '30 days')::int
        + (select count(*) from images.images i join images.feed_follows f on f.followee_id = i.owner_id
            where i.created_at >= now() - interval '30 days')::int as expected`);
    expect(row.entries).toBe(row.expected);
    expect(row.entries).toBeGreaterThan(0);
  });

  it("gives every account the shared password, hashed by auth-service's argon2id", async () => {
    const row = await one(
      sql`select password_hash, count(distinct password_hash)::int as hashes from auth.accounts group by 1`,
    );
    expect(row.hashes).toBe(1);
    expect(String(row.password_hash)).toMatch(/^\$argon2id\$/);
    expect(await createArgon2Hasher().verify(String(row.password_hash), dataset.password)).toBe(true);
  });

  it("stores both files of every image, and restores the indexes it dropped for the load", async () => {
    const id = dataset.sampleImageIds[0] as string;
    expect((await stat(blobPathOf(blobDir, `${id}.original`))).size).toBeGreaterThan(100);
    expect((await stat(blobPathOf(blobDir, `${id}.thumbnail`))).size).toBeGreaterThan(100);
    const shards = await readdir(join(blobDir, "objects"));
    expect(shards.length).toBe(256);
    const row = await one(sql`select count(*)::int as n from pg_indexes
      where schemaname = 'users' and indexname in ('follows_pkey', 'follows_pair_key', 'follows_following_page', 'follows_followers_page')`);
    expect(row.n).toBe(4);
  });

  it("refuses a database that already has accounts unless asked to reset", async () => {
    await expect(generateDataset({ database: db, blobDir, users: 5, images: 5 })).rejects.toThrow(/reset/);
  });

  it("prepares actors for the settle scenario", () => {
    expect(dataset.settle.actors.length).toBe(5);
    expect(dataset.celebrities.length).toBe(10);
  });
});
