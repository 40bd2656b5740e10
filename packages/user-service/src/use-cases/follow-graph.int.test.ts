import { createOutbox, type DatabaseHandle, inTransaction, migrate, newId } from "@instagram/kit";
import { createPostgresConnector } from "@instagram/kit/node";
import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { insertProfile } from "../db/profiles.ts";
import { outbox as outboxTable, USERS_SCHEMA } from "../db/schema/index.ts";
import { removeUser } from "./accounts.ts";
import { createFollowGraph, type FollowGraph } from "./follow-graph.ts";

// Real PostgreSQL only: PGlite runs one transaction at a time, so it cannot show a race.
const url = process.env.TEST_DATABASE_URL;
if (url === undefined || url === "") {
  throw new Error("TEST_DATABASE_URL is not set: these tests need a real PostgreSQL (postgres://…)");
}
const migrationsFolder = new URL("../db/migrations", import.meta.url).pathname;

let handle: DatabaseHandle;
let graph: FollowGraph;
const outbox = createOutbox(outboxTable);

async function rows<T>(query: ReturnType<typeof sql>): Promise<T[]> {
  const result: unknown = await handle.db.execute(query);
  return (Array.isArray(result) ? result : (result as { rows: T[] }).rows) as T[];
}

async function makeUsers(prefix: string, n: number): Promise<{ id: string; username: string }[]> {
  const users = Array.from({ length: n }, (_, i) => ({ id: newId(), username: `${prefix}${i}` }));
  for (const u of users) await insertProfile(handle.db, { ...u, createdAt: new Date(), imagesCount: 0 });
  return users;
}

/** Profiles whose counters differ from the edges that exist: must always be none. */
async function counterMismatches(): Promise<unknown[]> {
  return rows(sql`
    select p.username, p.followers_count, p.following_count,
      (select count(*) from users.follows f where f.followee_id = p.id) as followers,
      (select count(*) from users.follows f where f.follower_id = p.id) as following
    from users.profiles p
    where p.followers_count <> (select count(*) from users.follows f where f.followee_id = p.id)
       or p.following_count <> (select count(*) from users.follows f where f.follower_id = p.id)`);
}

async function eventsOf(followerId: string): Promise<Record<string, number>> {
  const found = await rows<{ type: string; n: string }>(sql`
    select type, count(*) as n from users.outbox where aggregate_id = ${followerId} group by type`);
  return Object.fromEntries(found.map((r) => [r.type, Number(r.n)]));
}

beforeAll(async () => {
  handle = await createPostgresConnector({ url, max: 20 }).connect();
  await handle.db.execute(sql`drop schema if exists ${sql.identifier(USERS_SCHEMA)} cascade`);
  await migrate(handle, { schema: USERS_SCHEMA, migrationsFolder });
  graph = createFollowGraph({ db: handle.db, outbox });
});

afterAll(async () => {
  await handle?.close();
});

describe("follow graph on real PostgreSQL, under concurrency", () => {
  it("200 concurrent follow/unfollow toggles of one pair leave counters equal to the edges", async () => {
    const [a, b] = await makeUsers("toggle", 2);
    const ops = Array.from({ length: 200 }, (_, i) =>
      i % 2 === 0 ? graph.follow(a!.id, b!.username) : graph.unfollow(a!.id, b!.username),
    );
    const changed = await Promise.all(ops);

    const [edge] = await rows<{ n: string }>(
      sql`select count(*) as n from users.follows where follower_id = ${a!.id} and followee_id = ${b!.id}`,
    );
    const edges = Number(edge!.n);
    expect(edges === 0 || edges === 1).toBe(true);
    const [counts] = await rows<{ followers: string; following: string }>(sql`
      select (select followers_count from users.profiles where id = ${b!.id}) as followers,
             (select following_count from users.profiles where id = ${a!.id}) as following`);
    expect(Number(counts!.followers)).toBe(edges);
    expect(Number(counts!.following)).toBe(edges);
    // Each real change published exactly one event, and the events replay to the final state.
    const events = await eventsOf(a!.id);
    const follows = changed.filter((c, i) => c && i % 2 === 0).length;
    const unfollows = changed.filter((c, i) => c && i % 2 === 1).length;
    expect(events.FOLLOWED ?? 0).toBe(follows);
    expect(events.UNFOLLOWED ?? 0).toBe(unfollows);
    expect(follows - unfollows).toBe(edges);
    expect(follows).toBeGreaterThan(0);
  });

  it("200 users following one user at once count 200 followers, and 200 unfollows count back to 0", async () => {
    const [star] = await makeUsers("star", 1);
    const fans = await makeUsers("fan", 200);
    const followed = await Promise.all(fans.map((f) => graph.follow(f.id, star!.username)));
    expect(followed.every(Boolean)).toBe(true);

    const [after] = await rows<{ followers: string; edges: string }>(sql`
      select (select followers_count from users.profiles where id = ${star!.id}) as followers,
             (select count(*) from users.follows where followee_id = ${star!.id}) as edges`);
    expect(Number(after!.edges)).toBe(200);
    expect(Number(after!.followers)).toBe(200);
    expect(await counterMismatches()).toEqual([]);

    // Repeats change nothing, concurrently with unfollows of half of them.
    await Promise.all(
      fans.map((f, i) =>
        i % 2 === 0 ? graph.unfollow(f.id, star!.username) : graph.follow(f.id, star!.username),
      ),
    );
    const [half] = await rows<{ followers: string }>(
      sql`select followers_count as followers from users.profiles where id = ${star!.id}`,
    );
    expect(Number(half!.followers)).toBe(100);
    expect(await counterMismatches()).toEqual([]);
  });

  it("opposite follows (a→b and b→a) at once do not deadlock and both count", async () => {
    const pairs = await makeUsers("mutual", 40);
    const results = await Promise.all(
      pairs.flatMap((u, i) => {
        const other = pairs[(i + 1) % pairs.length]!;
        return [graph.follow(u.id, other.username), graph.follow(other.id, u.username)];
      }),
    );
    expect(results.every(Boolean)).toBe(true);
    expect(await counterMismatches()).toEqual([]);
  });

  it("deleting a user while others follow and unfollow them keeps every counter exact", async () => {
    const [victim] = await makeUsers("victim", 1);
    const others = await makeUsers("crowd", 60);
    // The victim follows half the crowd beforehand; the crowd races its deletion.
    for (const o of others.slice(0, 30)) await graph.follow(victim!.id, o.username);
    const racing = others.map((o, i) =>
      (i % 3 === 0 ? graph.unfollow(o.id, victim!.username) : graph.follow(o.id, victim!.username)).catch(
        (error: unknown) => error, // NotFound once the victim is gone is expected
      ),
    );
    const deletion = inTransaction(handle.db, (tx) => removeUser(tx, outbox, victim!));
    await Promise.all([...racing, deletion]);

    const [left] = await rows<{ n: string }>(sql`
      select count(*) as n from users.follows where follower_id = ${victim!.id} or followee_id = ${victim!.id}`);
    expect(Number(left!.n)).toBe(0);
    expect(await counterMismatches()).toEqual([]);
  });
});
