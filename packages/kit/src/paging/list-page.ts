import { type AnyColumn, and, asc, desc, type SQL, sql } from "drizzle-orm";
import type { PgSelect } from "drizzle-orm/pg-core";
import { isUuid } from "../db/ids.ts";
import { encodeCursor, invalidCursor, type PageLimits, resolvePage } from "./cursor.ts";

/**
 * Where a row stands in a list ordered by (created_at, id) — id breaks ties, so no row is ever
 * skipped or repeated. A page's last row is where the next page starts.
 */
export interface ListPosition {
  createdAt: Date;
  id: string;
}

/** A page of a list: its items and, when more may follow, the position the next page starts after. */
export interface ListPage<T> {
  items: T[];
  next: ListPosition | undefined;
}

/** A request's page of a (created_at, id) list: its limit, and the position from its cursor. */
export function resolveListPage(
  page: { limit?: number; cursor?: string } | undefined,
  limits?: PageLimits,
): { limit: number; after: ListPosition | undefined } {
  const { limit, after } = resolvePage(page, 2, limits);
  if (after === undefined) return { limit, after: undefined };
  const [at, id] = after;
  const createdAt = new Date(at ?? "");
  if (Number.isNaN(createdAt.getTime()) || id === undefined || !isUuid(id)) throw invalidCursor();
  return { limit, after: { createdAt, id } };
}

/** The nextCursor of a page: "" at the end of the list. */
export function listCursor(next: ListPosition | undefined): string {
  return next === undefined ? "" : encodeCursor([next.createdAt.toISOString(), next.id]);
}

/**
 * Rows fetched with `limit + 1` → the page; the extra row, when it came back, says more follow.
 * `positionOf` reads a row's position (default: the row's own createdAt and id).
 */
export function pageOf<T extends ListPosition>(rows: T[], limit: number): ListPage<T>;
export function pageOf<T>(rows: T[], limit: number, positionOf: (row: T) => ListPosition): ListPage<T>;
export function pageOf<T>(rows: T[], limit: number, positionOf?: (row: T) => ListPosition): ListPage<T> {
  const items = rows.slice(0, limit);
  const last = items.at(-1);
  if (rows.length <= limit || last === undefined) return { items, next: undefined };
  const { createdAt, id } = positionOf === undefined ? (last as ListPosition) : positionOf(last);
  return { items, next: { createdAt, id } };
}

/**
 * The keyset condition of the page after `position` (undefined: from the start), for a query
 * ordered by (createdAt, id) in `order`. A row comparison, so an index on those columns serves it
 * with one range scan.
 */
export function afterPosition(
  createdAt: AnyColumn,
  id: AnyColumn,
  position: ListPosition | undefined,
  order: "newest-first" | "oldest-first",
): SQL | undefined {
  if (position === undefined) return undefined;
  const at = sql`${position.createdAt.toISOString()}::timestamptz`;
  const key = sql`${position.id}::uuid`;
  return order === "newest-first"
    ? sql`(${createdAt}, ${id}) < (${at}, ${key})`
    : sql`(${createdAt}, ${id}) > (${at}, ${key})`;
}

/**
 * One page of a (created_at, id) list: adds the keyset condition (and `filter`), the order and
 * `limit + 1` to `query` (built with `.$dynamic()`), and cuts the result into a page. Order and
 * cursor comparison come from one place, so they cannot disagree. `positionOf` reads a row's
 * position when the row does not carry it as its own createdAt and id.
 */
export async function selectListPage<T extends PgSelect>(
  query: T,
  list: ListQuery &
    (Row<T> extends ListPosition
      ? { positionOf?: (row: Row<T>) => ListPosition }
      : { positionOf: (row: Row<T>) => ListPosition }),
): Promise<ListPage<Row<T>>> {
  const direction = list.order === "newest-first" ? desc : asc;
  const rows: Row<T>[] = await query
    .where(and(list.filter, afterPosition(list.createdAt, list.id, list.after, list.order)))
    .orderBy(direction(list.createdAt), direction(list.id))
    .limit(list.limit + 1);
  const positionOf = list.positionOf ?? ((row: Row<T>) => row as ListPosition);
  return pageOf(rows, list.limit, positionOf);
}

type Row<T extends PgSelect> = Awaited<T>[number];

/** Which list, and which page of it. */
export interface ListQuery {
  /** The columns the list is ordered by (an index on them serves the page). */
  createdAt: AnyColumn;
  id: AnyColumn;
  order: "newest-first" | "oldest-first";
  /** What else a row must match. */
  filter?: SQL;
  after: ListPosition | undefined;
  limit: number;
}
