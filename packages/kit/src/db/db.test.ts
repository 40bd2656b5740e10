import { mkdtemp, readFile, rm } from "node:fs/promises";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { sql } from "drizzle-orm";
import { readMigrationFiles } from "drizzle-orm/migrator";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openTestDatabase, type TestDatabase, testMigrations } from "../events/test-fixtures/database.ts";
import { followerCounts, inbox } from "../events/test-fixtures/schema.ts";
import { isForeignKeyViolation, isUniqueViolation, sqlStateOf } from "./errors.ts";
import { isUuid, newId } from "./ids.ts";
import { migrate } from "./migrate.ts";
import { createPgliteConnector } from "./pglite-connector.ts";
import { rowsOf } from "./rows.ts";
import { inTransaction } from "./transaction.ts";

describe("migrate", () => {
  let database: TestDatabase;
  beforeAll(async () => {
    database = await openTestDatabase();
  }, 60_000);
  afterAll(() => database.close());

  it("records each migration once in <schema>.__drizzle_migrations, however often it runs", async () => {
    const handle = { db: database.db, ping: async () => {}, close: async () => {} };
    await Promise.all(
      [1, 2, 3].map(() => migrate(handle, { schema: "kit_test", migrationsFolder: testMigrations })),
    );
    const applied = rowsOf(await database.db.execute(sql`select hash from kit_test.__drizzle_migrations`));
    expect(applied).toHaveLength(readMigrationFiles({ migrationsFolder: testMigrations }).length);
    await database.db.insert(followerCounts).values({ userId: "u1", followers: 1 });
  });

  it("recognises a unique violation through drizzle's error wrapping, and nothing else", async () => {
    const row = { consumer: "c", eventId: newId() };
    await database.db.insert(inbox).values(row);
    const duplicate = await database.db
      .insert(inbox)
      .values(row)
      .catch((error: unknown) => error);
    expect(isUniqueViolation(duplicate)).toBe(true);
    const other = await database.db
      .execute(sql`select * from no_such_table`)
      .catch((error: unknown) => error);
    expect(other).toBeInstanceOf(Error);
    expect(isUniqueViolation(other)).toBe(false);
    expect(isUniqueViolation(new Error("23505"))).toBe(false);
    expect(isUniqueViolation(undefined)).toBe(false);
    expect(isForeignKeyViolation(duplicate)).toBe(false);
  });

  it("recognises a foreign key violation, and reads the SQLSTATE of any database error", async () => {
    await database.db.execute(sql`create table kit_test.parents (id int primary key)`);
    await database.db.execute(
      sql`create table kit_test.children (parent int not null references kit_test.parents (id))`,
    );
    const orphan = await database.db
      .execute(sql`insert into kit_test.children (parent) values (1)`)
      .catch((error: unknown) => error);
    expect(isForeignKeyViolation(orphan)).toBe(true);
    expect(isUniqueViolation(orphan)).toBe(false);
    const missing = await database.db
      .execute(sql`select * from no_such_table`)
      .catch((error: unknown) => error);
    expect(sqlStateOf(missing)).toBe("42P01");
    expect(sqlStateOf(new Error("no state"))).toBeUndefined();
    expect(sqlStateOf({ code: "ECONNREFUSED" })).toBeUndefined();
  });
});

describe("inTransaction", () => {
  let database: TestDatabase;
  beforeAll(async () => {
    database = await openTestDatabase();
  }, 60_000);
  afterAll(() => database.close());

  const deadlock = () => Object.assign(new Error("deadlock detected"), { code: "40P01" });

  it("runs the work again after a deadlock, keeping only the last attempt's writes", async () => {
    let attempts = 0;
    const result = await inTransaction(database.db, async (tx) => {
      attempts++;
      await tx.insert(followerCounts).values({ userId: `retry-${attempts}`, followers: attempts });
      if (attempts < 3) throw deadlock();
      return "done";
    });
    expect(result).toBe("done");
    expect(attempts).toBe(3);
    const rows = rowsOf(
      await database.db.execute(
        sql`select user_id from kit_test.follower_counts where user_id like 'retry-%'`,
      ),
    );
    expect(rows).toEqual([{ user_id: "retry-3" }]);
  });

  it("gives up after the last attempt, and never retries other errors", async () => {
    let deadlocks = 0;
    await expect(
      inTransaction(
        database.db,
        async () => {
          deadlocks++;
          throw deadlock();
        },
        { attempts: 2 },
      ),
    ).rejects.toThrow("deadlock detected");
    expect(deadlocks).toBe(2);
    let failures = 0;
    await expect(
      inTransaction(database.db, async () => {
        failures++;
        throw new Error("bad input");
      }),
    ).rejects.toThrow("bad input");
    expect(failures).toBe(1);
  });
});

describe("isUuid", () => {
  it("accepts UUIDs in either case and nothing else", () => {
    expect(isUuid(newId())).toBe(true);
    expect(isUuid("0192F0A4-8B1C-7DEF-8123-456789ABCDEF")).toBe(true);
    for (const bad of ["", "not-a-uuid", `${newId()}x`, "0192f0a4-8b1c-7def-8123-456789abcde"])
      expect(isUuid(bad)).toBe(false);
  });
});

describe("newId", () => {
  it("makes distinct UUIDv7s that sort in creation order", () => {
    const ids = Array.from({ length: 50 }, () => newId());
    for (const id of ids)
      expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(new Set(ids).size).toBe(ids.length);
    expect([...ids].sort()).toEqual(ids);
  });
});

describe("PGlite connector", () => {
  it("shares one instance between handles, survives their close, and persists in its data dir", async () => {
    const dataDir = await mkdtemp(join(tmpdir(), "kit-pglite-"));
    try {
      const connector = createPgliteConnector({ dataDir: join(dataDir, "pglite") });
      const [first, second] = [await connector.connect(), await connector.connect()];
      await migrate(first, { schema: "kit_test", migrationsFolder: testMigrations });
      await first.db.insert(followerCounts).values({ userId: "kept", followers: 7 });
      await first.close();
      await second.ping();
      const seen = await second.db.select().from(followerCounts);
      expect(seen).toEqual([{ userId: "kept", followers: 7 }]);
      await connector.close();
      await expect(second.ping()).rejects.toThrow();

      const reopened = createPgliteConnector({ dataDir: join(dataDir, "pglite") });
      const handle = await reopened.connect();
      expect(await handle.db.select().from(followerCounts)).toEqual([{ userId: "kept", followers: 7 }]);
      await reopened.close();
    } finally {
      await rm(dataDir, { recursive: true, force: true });
    }
  }, 60_000);
});

describe("postgres driver", () => {
  it("carries the crash fixes (root postinstall): a database going away cannot take the process down", async () => {
    const root = join(dirname(createRequire(import.meta.url).resolve("postgres")), "..", "..");
    for (const file of ["src/connection.js", "cjs/src/connection.js"]) {
      const source = await readFile(join(root, file), "utf8");
      expect(source, file).toContain("/* instagram: closed-socket guard */");
      expect(source, file).toContain("/* instagram: array types failure reported by the connection */");
    }
  });
});
