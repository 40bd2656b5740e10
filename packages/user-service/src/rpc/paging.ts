import { Code, ConnectError } from "@connectrpc/connect";
import type { Page } from "@instagram/contracts/user";
import { decodeCursor, encodeCursor, resolvePage } from "@instagram/kit";
import type { EdgePosition } from "../db/follows.ts";
import { isUuid } from "../domain/ids.ts";

const BAD_CURSOR = "cursor is not valid: pass the nextCursor of the previous page";

/** Cursor of an edge list: [created_at ISO, edge id]. */
function edgePosition(parts: string[]): EdgePosition {
  const [at, id] = parts;
  const createdAt = new Date(at ?? "");
  if (Number.isNaN(createdAt.getTime()) || id === undefined || !isUuid(id)) {
    throw new ConnectError(BAD_CURSOR, Code.InvalidArgument);
  }
  return { createdAt, id };
}

export function edgeCursor(last: EdgePosition | undefined): string {
  return last === undefined ? "" : encodeCursor([last.createdAt.toISOString(), last.id]);
}

/** limit 1–100 (default 20) and an edge cursor; InvalidArgument otherwise. */
export function edgePage(page: Page | undefined): { limit: number; after: EdgePosition | undefined } {
  const { limit, after } = resolvePage(page, 2);
  return { limit, after: after === undefined ? undefined : edgePosition(after) };
}

export const FOLLOWEE_IDS_DEFAULT = 100;
export const FOLLOWEE_IDS_MAX = 1000;

/** The internal ListFolloweeIds pages up to 1000 ids (the feed wants them all, few round trips). */
export function followeeIdsPage(page: Page | undefined): { limit: number; after: EdgePosition | undefined } {
  const limit = page?.limit || FOLLOWEE_IDS_DEFAULT;
  if (!Number.isInteger(limit) || limit < 1 || limit > FOLLOWEE_IDS_MAX) {
    throw new ConnectError(
      `limit must be an integer from 1 to ${FOLLOWEE_IDS_MAX} (default ${FOLLOWEE_IDS_DEFAULT})`,
      Code.InvalidArgument,
    );
  }
  if (!page?.cursor) return { limit, after: undefined };
  let parts: string[];
  try {
    parts = decodeCursor(page.cursor, 2);
  } catch {
    throw new ConnectError(BAD_CURSOR, Code.InvalidArgument);
  }
  return { limit, after: edgePosition(parts) };
}

/** Search cursor: the last username (lower-cased) of the previous page. */
export function usernamePage(page: Page | undefined): { limit: number; after: string | undefined } {
  const { limit, after } = resolvePage(page, 1);
  return { limit, after: after?.[0] };
}

export function usernameCursor(lastKey: string | undefined): string {
  return lastKey === undefined ? "" : encodeCursor([lastKey]);
}
