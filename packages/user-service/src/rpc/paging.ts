import type { Page } from "@instagram/contracts/user";
import { encodeCursor, type ListPosition, resolveListPage, resolvePage } from "@instagram/kit";

export const FOLLOWEE_IDS_DEFAULT = 100;
export const FOLLOWEE_IDS_MAX = 1000;

/** The internal ListFolloweeIds pages up to 1000 ids (the feed wants them all, few round trips). */
export function followeeIdsPage(page: Page | undefined): { limit: number; after: ListPosition | undefined } {
  return resolveListPage(page, { defaultLimit: FOLLOWEE_IDS_DEFAULT, maxLimit: FOLLOWEE_IDS_MAX });
}

/** Search cursor: the last username (lower-cased) of the previous page. */
export function usernamePage(page: Page | undefined): { limit: number; after: string | undefined } {
  const { limit, after } = resolvePage(page, 1);
  return { limit, after: after?.[0] };
}

export function usernameCursor(lastKey: string | undefined): string {
  return lastKey === undefined ? "" : encodeCursor([lastKey]);
}
