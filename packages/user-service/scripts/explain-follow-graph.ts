/**
 * Seeds a throwaway database with 30 000 profiles and 100 000 follow edges and prints the
 * EXPLAIN (ANALYZE, BUFFERS) plans of the exact SQL user-service sends for followers,
 * following, followee ids, followedByMe and username search.
 *
 *   EXPLAIN_DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres npx tsx packages/user-service/scripts/explain-follow-graph.ts
 *
 * It creates (and at the end drops) its own database next to the one in the URL, so it never
 * touches existing data; the role needs CREATEDB.
 */
import { createScratchDatabase } from "@instagram/kit/node";
import { sql } from "drizzle-orm";
import { followedBy, listFolloweeIds, listFollowers, listFollowing } from "../src/db/follows.ts";
import { searchProfiles } from "../src/db/profiles.ts";
import { USERS_SCHEMA } from "../src/db/schema/index.ts";
import { parseSearchQuery } from "../src/domain/search-query.ts";

const PROFILES = 30_000;
const EDGES = 100_000;
const STAR_FOLLOWERS = 20_000; // one account with many followers, to page deep into
const HEAVY_FOLLOWING = 5_000; // one account that follows many

const baseUrl = process.env.EXPLAIN_DATABASE_URL ?? process.env.TEST_DATABASE_URL;
if (!baseUrl) throw new Error("set EXPLAIN_DATABASE_URL (or TEST_DATABASE_URL) to a postgres:// URL");
const scratch = await createScratchDatabase(baseUrl, {
  prefix: "user_explain",
  schema: USERS_SCHEMA,
  migrationsFolder: new URL("../src/db/migrations", import.meta.url).pathname,
});
const { client, db } = scratch;

/** Plans of the statements `run` sends; generic = as a cached prepared statement plans them ($n unknown). */
async function explain(title: string, run: () => Promise<unknown>, generic: boolean): Promise<void> {
  for (const { query, params, plan } of await scratch.explain(run, { generic })) {
    console.log(
      `\n### ${title}\n${query}\n-- params: ${JSON.stringify(params).slice(0, 300)}\n${plan.join("\n")}`,
    );
  }
}

try {
  const started = Date.now();
  await db.execute(sql`
    insert into users.profiles (id, username, created_at)
    select gen_random_uuid(), 'user' || lpad(i::text, 5, '0'), now() - (i || ' minutes')::interval
    from generate_series(1, ${PROFILES}) as i`);
  // user00001 is the star, user00002 follows many; the rest is random, newest edges spread over a year.
  await db.execute(sql`
    with star as (select id from users.profiles where username = 'user00001'),
         heavy as (select id from users.profiles where username = 'user00002'),
         fans as (select id from users.profiles where username > 'user00002' order by random() limit ${STAR_FOLLOWERS}),
         followees as (select id from users.profiles where username > 'user00002' order by random() limit ${HEAVY_FOLLOWING})
    insert into users.follows (id, follower_id, followee_id, created_at)
    select gen_random_uuid(), fans.id, star.id, now() - random() * interval '365 days' from fans, star
    union all
    select gen_random_uuid(), heavy.id, followees.id, now() - random() * interval '365 days' from heavy, followees`);
  await db.execute(sql`
    insert into users.follows (id, follower_id, followee_id, created_at)
    select gen_random_uuid(), a.id, b.id, now() - random() * interval '365 days'
    from (select (random() * (${PROFILES} - 3))::int + 3 as x, (random() * (${PROFILES} - 3))::int + 3 as y
          from generate_series(1, (${EDGES - STAR_FOLLOWERS - HEAVY_FOLLOWING} * 11) / 10)) as pairs
    join users.profiles a on a.username = 'user' || lpad(pairs.x::text, 5, '0')
    join users.profiles b on b.username = 'user' || lpad(pairs.y::text, 5, '0')
    where a.id <> b.id
    on conflict do nothing`);
  await db.execute(sql`delete from users.follows where id in (
    select id from users.follows order by id offset ${EDGES})`);
  await db.execute(sql`
    update users.profiles p set
      followers_count = (select count(*) from users.follows f where f.followee_id = p.id),
      following_count = (select count(*) from users.follows f where f.follower_id = p.id)`);
  await db.execute(sql`analyze`);
  const [stats] = await client`select (select count(*) from users.profiles) as profiles,
    (select count(*) from users.follows) as edges, version() as version`;
  console.log(`seeded in ${Date.now() - started} ms: ${JSON.stringify(stats)}`);

  const [star] = await client`select id from users.profiles where username = 'user00001'`;
  const [heavy] = await client`select id from users.profiles where username = 'user00002'`;
  const starId = String(star!.id);
  const heavyId = String(heavy!.id);
  // A position deep in the star's followers: the 10 000th newest edge.
  const [deep] = await client`select id, created_at from users.follows where followee_id = ${starId}
    order by created_at desc, id desc offset 10000 limit 1`;
  const deepPosition = { createdAt: new Date(deep!.created_at as Date), id: String(deep!.id) };

  async function explainAll(mode: string, generic: boolean): Promise<void> {
    console.log(`\n=== ${mode} ===`);
    await explain(
      "ListFollowers, first page (20 + 1) of an account with 20k followers",
      () => listFollowers(db, starId, undefined, 20),
      generic,
    );
    await explain(
      "ListFollowers, a page 10 000 edges deep (keyset cursor)",
      () => listFollowers(db, starId, deepPosition, 20),
      generic,
    );
    await explain(
      "ListFollowing, first page of an account following 5k",
      () => listFollowing(db, heavyId, undefined, 20),
      generic,
    );
    await explain(
      "ListFolloweeIds, 1000 + 1 ids",
      () => listFolloweeIds(db, heavyId, undefined, 1000),
      generic,
    );
    const page = await listFollowers(db, starId, undefined, 20);
    await explain(
      "followedByMe for a page of 20 (one query)",
      () =>
        followedBy(
          db,
          heavyId,
          page.items.map((p) => p.id),
        ),
      generic,
    );
    await explain(
      "SearchProfiles 'user012', first page",
      () => searchProfiles(db, parseSearchQuery("user012"), undefined, 21),
      generic,
    );
    await explain(
      "SearchProfiles 'user0', after a cursor",
      () => searchProfiles(db, parseSearchQuery("user0"), "user05000", 21),
      generic,
    );
  }

  await explainAll(
    "custom plans (parameters known at planning, as on a statement's first executions)",
    false,
  );
  // postgres-js prepares named statements; after five runs Postgres may switch to a generic plan.
  await client`set plan_cache_mode = force_generic_plan`;
  await explainAll("generic plans (parameters unknown at planning: what a cached statement may use)", true);
} finally {
  await scratch.drop();
}
