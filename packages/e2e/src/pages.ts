import { expect } from "vitest";
import type { Page, PageQuery, Reply } from "./client.ts";

/** Every item of a list, page by page along its cursors (at most 100 pages). */
export async function everyPage<T>(
  list: (page: PageQuery) => Promise<Reply<Page<T>>>,
  limit = 100,
): Promise<T[]> {
  const items: T[] = [];
  let cursor: string | undefined;
  for (let pages = 0; pages < 100; pages += 1) {
    const page = await list({ limit, cursor });
    expect(page.status, page.text).toBe(200);
    expect(page.body.items.length).toBeLessThanOrEqual(limit);
    items.push(...page.body.items);
    if (page.body.nextCursor === null) return items;
    cursor = page.body.nextCursor;
  }
  throw new Error("more than 100 pages");
}
