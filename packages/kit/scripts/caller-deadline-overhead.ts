// What tying database work to the incoming call costs: N small transactions (one insert each),
// run by drizzle on the bare driver, on the kit's driver outside any call, and inside a call
// (rememberCallerDeadline, as every service's routes have it). PGlite always; PostgreSQL when
// DATABASE_URL is set. Prints median and p99 per transaction.
//   node --conditions=@instagram/source --import tsx packages/kit/scripts/caller-deadline-overhead.ts [N]
import { PGlite } from "@electric-sql/pglite";
import { sql } from "drizzle-orm";
import { drizzle as drizzlePglite } from "drizzle-orm/pglite";
import { drizzle as drizzlePostgres } from "drizzle-orm/postgres-js";
import postgres from "postgres";
import { pgliteWithCallerDeadline } from "../src/db/pglite-caller-deadline.ts";
import { postgresWithCallerDeadline } from "../src/db/postgres-caller-deadline.ts";
import type { Database } from "../src/db/types.ts";
import { rememberCallerDeadline } from "../src/discovery/caller-deadline.ts";

const count = Number(process.argv[2] ?? 1_000);

/** Runs `work` as the handler of an incoming call with a 60 s deadline. */
function inCall<T>(work: () => Promise<T>): Promise<T> {
  const call = rememberCallerDeadline(async () => ({ response: await work() }) as never);
  const request = {
    header: new Headers({ "connect-timeout-ms": "60000" }),
    signal: new AbortController().signal,
  };
  return call(request as never) as unknown as Promise<T>;
}

async function timings(
  db: Database,
  wrap: (work: () => Promise<unknown>) => Promise<unknown>,
): Promise<number[]> {
  const taken: number[] = [];
  for (let i = 0; i < count; i++) {
    const started = performance.now();
    await wrap(() =>
      db.transaction(async (tx) => {
        await tx.execute(sql`insert into overhead (n) values (${i})`);
      }),
    );
    taken.push(performance.now() - started);
  }
  return taken.sort((a, b) => a - b);
}

function line(name: string, taken: number[]): string {
  const at = (q: number) => (taken[Math.min(taken.length - 1, Math.floor(q * taken.length))] ?? 0).toFixed(3);
  return `${name.padEnd(34)} median ${at(0.5)} ms  p99 ${at(0.99)} ms`;
}

async function compare(name: string, bare: Database, kit: Database): Promise<void> {
  await bare.execute(sql`create table if not exists overhead (n int)`);
  const direct = (work: () => Promise<unknown>) => work();
  await timings(kit, inCall); // warm-up
  const rounds: [string, number[]][] = [
    [`${name}: bare driver`, await timings(bare, direct)],
    [`${name}: kit, no call`, await timings(kit, direct)],
    [`${name}: kit, inside a call`, await timings(kit, inCall)],
  ];
  for (const [label, taken] of rounds) console.log(line(label, taken));
  await bare.execute(sql`drop table overhead`);
}

const lite = await PGlite.create();
await compare(
  "PGlite",
  drizzlePglite({ client: lite }),
  drizzlePglite({ client: pgliteWithCallerDeadline(lite) }),
);
await lite.close();

if (process.env.DATABASE_URL) {
  const client = postgres(process.env.DATABASE_URL, { max: 4, onnotice: () => {} });
  await compare(
    "PostgreSQL",
    drizzlePostgres({ client }),
    drizzlePostgres({ client: postgresWithCallerDeadline(client) }),
  );
  await client.end();
}
