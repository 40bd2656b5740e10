/**
 * The measurements behind the feed's design (docs/architecture.md, "The home feed"): seeds a
 * throwaway database with image-service's schema at the size of a real graph — 10 000 users,
 * 200 000 images over a year, a power-law follow graph (each user follows 50–500 accounts,
 * log-uniform; half the choices Zipf over a popularity rank, so a few accounts have 5k+
 * followers) — and times, on the same data:
 *   - the feed's first page read from timelines (what GetFeed does) and fanned out on read (the
 *     follow read model joined to images: what it does behind the horizon), for sample readers;
 *   - fan-out on write: one new image into every follower's timeline, for the most followed
 *     account and a median one; the backfill of one follow;
 *   - the size of the timelines at the default horizon (30 days) and what keeping every image
 *     fanned out would cost.
 *
 *   MEASURE_DATABASE_URL=postgres://postgres@127.0.0.1:25432/instagram npx tsx packages/image-service/scripts/measure-feed.ts
 *
 * It creates (and drops) its own database beside the one in the URL; the role needs CREATEDB.
 */
import { createScratchDatabase } from "@instagram/kit/node";
import { sql } from "drizzle-orm";
import { listFeedImages } from "../src/db/image-records.ts";
import { backfillTimeline, fanOutImage, rebuildTimelines } from "../src/db/timelines.ts";
import { defaultFeedPolicy } from "../src/domain/feed-policy.ts";

const USERS = Number(process.env.MEASURE_USERS ?? 10_000);
const IMAGES = Number(process.env.MEASURE_IMAGES ?? 200_000);
const READERS = 200;
const DAY_MS = 86_400_000;

const baseUrl = process.env.MEASURE_DATABASE_URL ?? process.env.TEST_DATABASE_URL;
if (!baseUrl) throw new Error("set MEASURE_DATABASE_URL (or TEST_DATABASE_URL) to a postgres:// URL");
const scratch = await createScratchDatabase(baseUrl, {
  prefix: "feed_measure",
  schema: "images",
  migrationsFolder: new URL("../src/db/migrations", import.meta.url).pathname,
});
const { client, db } = scratch;

/** EXPLAIN ANALYZE of the statements `run` sends. */
async function explain(title: string, run: () => Promise<unknown>): Promise<void> {
  for (const { query, plan } of await scratch.explain(run))
    console.log(`\n### ${title}\n${query}\n${plan.join("\n")}`);
}

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? Number.NaN;
}

async function timed<T>(work: () => Promise<T>): Promise<[T, number]> {
  const started = performance.now();
  const result = await work();
  return [result, performance.now() - started];
}

async function summary(label: string, samples: number[]): Promise<void> {
  const sorted = [...samples].sort((a, b) => a - b);
  console.log(
    `${label.padEnd(58)} p50 ${percentile(sorted, 50).toFixed(2).padStart(7)} ms  p99 ${percentile(sorted, 99).toFixed(2).padStart(7)} ms  (n=${sorted.length})`,
  );
}

async function one(query: string): Promise<Record<string, unknown>> {
  const [row] = await client.unsafe(query);
  return row ?? {};
}

try {
  const [, ms] = await timed(async () => {
    await client.unsafe(`create table seed_users as
      select n, gen_random_uuid() as id from generate_series(1, ${USERS}) as n`);
    await client.unsafe(`insert into images.owners (user_id, username)
      select id, 'user' || lpad(n::text, 5, '0') from seed_users`);
    // Each user: 50–500 draws (log-uniform); each draw Zipf over rank (log-uniform rank) or uniform.
    await client.unsafe(`insert into images.feed_follows (follower_id, followee_id, created_at)
      select f.id, e.id, now() - random() * interval '365 days'
        from (select s.id, case when random() < 0.5 then floor(exp(random() * ln(${USERS})))::int
                                else 1 + floor(random() * ${USERS})::int end as rank
                from seed_users s
                cross join lateral generate_series(1, floor(exp(ln(50) + random() * ln(10)) + 0 * s.n)::int) as draw) f
        join seed_users e on e.n = f.rank
       where e.id <> f.id
      on conflict do nothing`);
    await client.unsafe(`insert into images.images (id, owner_id, content_type, width, height, created_at)
      select gen_random_uuid(), u.id, 'image/jpeg', 1080, 1080, now() - random() * interval '365 days'
        from generate_series(1, ${IMAGES}) as i
        join seed_users u on u.n = 1 + (hashint4(i) & 2147483647) % ${USERS}`);
    await client.unsafe("analyze");
  });
  const graph = await one(`select count(*)::int as edges,
      (select max(c) from (select count(*) c from images.feed_follows group by followee_id) x)::int as max_followers,
      (select count(*) from (select 1 from images.feed_follows group by followee_id having count(*) >= 5000) x)::int as over_5k,
      (select percentile_cont(0.5) within group (order by c) from (select count(*) c from images.feed_follows group by follower_id) x)::int as median_following
    from images.feed_follows`);
  console.log(
    `seeded ${USERS} users, ${IMAGES} images in ${(ms / 1000).toFixed(1)} s: ${JSON.stringify(graph)}`,
  );

  const horizon = defaultFeedPolicy;
  const now = new Date();
  const [written, rebuildMs] = await timed(() =>
    rebuildTimelines(db, { horizon: horizon.keepFrom(now), fanOutLimit: horizon.fanOutLimit }),
  );
  await client.unsafe("analyze images.timeline_entries");
  const size = await one(`select pg_size_pretty(pg_total_relation_size('images.timeline_entries')) as size`);
  const uncapped = await one(`select (count(*) + (select count(*) from images.images))::bigint as rows
      from images.images i join images.feed_follows f on f.followee_id = i.owner_id`);
  console.log(
    `timelines (31 days kept, fan-out limit ${horizon.fanOutLimit} followers): ${written} entries, ${size.size}, rebuilt in ${(rebuildMs / 1000).toFixed(1)} s; ` +
      `every image fanned out would be ${uncapped.rows} entries`,
  );

  const readers = (
    await client.unsafe(`select follower_id as id from images.feed_follows group by follower_id
      order by random() limit ${READERS}`)
  ).map((row) => String(row.id));
  const fromTimelines: number[] = [];
  const fannedOutOnRead: number[] = [];
  const deepPages: number[] = [];
  for (const readerId of readers) {
    const [page, a] = await timed(() =>
      listFeedImages(db, { readerId, limit: 20, after: undefined, horizon: horizon.readFrom(now) }),
    );
    fromTimelines.push(a);
    // The same page with the horizon at now: all of it fanned out on read.
    const [, b] = await timed(() =>
      listFeedImages(db, { readerId, limit: 20, after: undefined, horizon: now }),
    );
    fannedOutOnRead.push(b);
    const after = page.items.at(-1);
    if (after !== undefined) {
      const [, c] = await timed(() =>
        listFeedImages(db, {
          readerId,
          limit: 20,
          after: { createdAt: new Date(now.getTime() - 60 * DAY_MS), id: after.id },
          horizon: horizon.readFrom(now),
        }),
      );
      deepPages.push(c);
    }
  }
  await summary("feed page 1 as GetFeed reads it (timelines + merged on read)", fromTimelines);
  if (process.env.MEASURE_EXPLAIN === "1") {
    const readerId = readers[0] ?? "";
    await explain("feed page 1 from timelines", () =>
      listFeedImages(db, { readerId, limit: 20, after: undefined, horizon: horizon.readFrom(now) }),
    );
    await explain("feed page 1 fanned out on read", () =>
      listFeedImages(db, { readerId, limit: 20, after: undefined, horizon: now }),
    );
  }
  await summary("feed page 1 all fanned out on read (follow graph ⨝ images)", fannedOutOnRead);
  await summary("feed page 60 days back (behind the horizon: on read)", deepPages);

  const single: number[] = [];
  for (const readerId of readers.slice(0, 100)) {
    const [, t] = await timed(
      () =>
        client`select i.*, o.username from images.images i left join images.owners o on o.user_id = i.owner_id
        where i.id = (select image_id from images.timeline_entries where user_id = ${readerId} limit 1)`,
    );
    single.push(t);
  }
  await summary("one image by id (for scale)", single);

  const star = await one(`select followee_id as id, count(*)::int as followers from images.feed_follows
      group by followee_id order by count(*) desc limit 1`);
  const median = await one(`select followee_id as id, count(*)::int as followers from images.feed_follows
      group by followee_id order by count(*) limit 1 offset (select count(distinct followee_id) / 2 from images.feed_follows)`);
  for (const [label, owner] of [
    [`fan-out on write, ${star.followers} followers`, star],
    [`fan-out on write, ${median.followers} followers (median)`, median],
  ] as const) {
    const samples: number[] = [];
    for (let i = 0; i < 20; i++) {
      const [, t] = await timed(() =>
        db
          .transaction(async (tx) => {
            const id = crypto.randomUUID();
            const createdAt = new Date();
            await tx.execute(sql`insert into images.images (id, owner_id, content_type, width, height, created_at)
              values (${id}, ${String(owner.id)}, 'image/jpeg', 1, 1, ${createdAt.toISOString()})`);
            await fanOutImage(tx, { id, ownerId: String(owner.id), createdAt }, { ownerOnly: false });
            tx.rollback();
          })
          .catch(() => {}),
      );
      samples.push(t);
    }
    await summary(label, samples);
  }
  const backfill: number[] = [];
  for (const readerId of readers.slice(0, 50)) {
    const [, t] = await timed(() =>
      db
        .transaction(async (tx) => {
          await backfillTimeline(
            tx,
            { followerId: readerId, followeeId: String(median.id) },
            horizon.keepFrom(now),
            null,
          );
          tx.rollback();
        })
        .catch(() => {}),
    );
    backfill.push(t);
  }
  await summary("backfill of one follow (31 days of a median account's images)", backfill);
  const version = await one("select version()");
  console.log(String(version.version));
} finally {
  await scratch.drop();
}
