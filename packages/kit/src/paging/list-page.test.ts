import { Code, ConnectError } from "@connectrpc/connect";
import { sql } from "drizzle-orm";
import { text, timestamp, uuid } from "drizzle-orm/pg-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { newId } from "../db/ids.ts";
import { openTestDatabase, type TestDatabase } from "../events/test-fixtures/database.ts";
import { kitTestSchema } from "../events/test-fixtures/schema.ts";
import { encodeCursor } from "./cursor.ts";
import { type ListPosition, listCursor, pageOf, resolveListPage, selectListPage } from "./list-page.ts";

function refusal(run: () => unknown): ConnectError {
  try {
    run();
  } catch (error) {
    if (error instanceof ConnectError) return error;
    throw error;
  }
  throw new Error("expected a ConnectError");
}

describe("list pages", () => {
  it("round-trip a position through the cursor", () => {
    const position = { createdAt: new Date("2025-01-02T03:04:05.678Z"), id: newId() };
    const cursor = listCursor(position);
    expect(resolveListPage({ limit: 5, cursor })).toEqual({ limit: 5, after: position });
    expect(listCursor(undefined)).toBe("");
    expect(resolveListPage(undefined)).toEqual({ limit: 20, after: undefined });
  });

  it("refuse a cursor whose parts are no time and id", () => {
    for (const parts of [
      ["not a date", newId()],
      ["2025-01-02T03:04:05.678Z", "x'; drop table"],
      ["2025-01-02T03:04:05.678Z"],
    ]) {
      const error = refusal(() => resolveListPage({ cursor: encodeCursor(parts) }));
      expect(error.code).toBe(Code.InvalidArgument);
      expect(error.rawMessage).toMatch(/^cursor is not valid/);
    }
  });

  it("cut a limit + 1 result into a page that says where the next one starts", () => {
    const rows = [1, 2, 3].map((n) => ({ createdAt: new Date(n * 1000), id: `id-${n}`, n }));
    expect(pageOf(rows, 2)).toEqual({
      items: rows.slice(0, 2),
      next: { createdAt: new Date(2000), id: "id-2" },
    });
    expect(pageOf(rows, 3)).toEqual({ items: rows, next: undefined });
    expect(pageOf([], 3)).toEqual({ items: [], next: undefined });
  });

  it("read a row's position with positionOf", () => {
    const likes = [1, 2].map((n) => ({ likedAt: new Date(n), userId: `user-${n}` }));
    expect(pageOf(likes, 1, (like) => ({ createdAt: like.likedAt, id: like.userId })).next).toEqual({
      createdAt: new Date(1),
      id: "user-1",
    });
  });
});

describe("selectListPage", () => {
  const posts = kitTestSchema.table("posts", {
    id: uuid("id").primaryKey(),
    author: text("author").notNull(),
    createdAt: timestamp("created_at", { withTimezone: true, precision: 3 }).notNull(),
  });
  let database: TestDatabase;
  const ids: string[] = [];
  beforeAll(async () => {
    database = await openTestDatabase();
    await database.db.execute(
      sql`create table kit_test.posts (id uuid primary key, author text not null, created_at timestamptz(3) not null)`,
    );
    // Five posts by ann, two of them at the same instant (the id breaks the tie), one by bob.
    const at = [1000, 2000, 2000, 3000, 4000];
    for (const ms of at) {
      const id = newId();
      ids.push(id);
      await database.db.insert(posts).values({ id, author: "ann", createdAt: new Date(ms) });
    }
    await database.db.insert(posts).values({ id: newId(), author: "bob", createdAt: new Date(2500) });
  }, 60_000);
  afterAll(() => database?.close());

  async function walk(order: "newest-first" | "oldest-first"): Promise<string[][]> {
    const pages: string[][] = [];
    let after: ListPosition | undefined;
    do {
      const page = await selectListPage(database.db.select().from(posts).$dynamic(), {
        createdAt: posts.createdAt,
        id: posts.id,
        order,
        filter: sql`${posts.author} = 'ann'`,
        after,
        limit: 2,
      });
      pages.push(page.items.map((post) => post.id));
      after = page.next;
    } while (after !== undefined);
    return pages;
  }

  it("walks a list page by page in either order, every row once, ties kept apart by id", async () => {
    const [a, b, c, d, e] = ids;
    expect(await walk("oldest-first")).toEqual([[a, b], [c, d], [e]]);
    expect(await walk("newest-first")).toEqual([[e, d], [c, b], [a]]);
  });
});
