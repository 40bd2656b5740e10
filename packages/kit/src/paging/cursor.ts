import { Code, ConnectError } from "@connectrpc/connect";
import { base64url } from "jose";
import { z } from "zod";

export const DEFAULT_PAGE_LIMIT = 20;
export const MAX_PAGE_LIMIT = 100;

export const pageLimitSchema = z.number().int().min(1).max(MAX_PAGE_LIMIT).default(DEFAULT_PAGE_LIMIT);

/** A cursor that is not one of ours (tampered, truncated, from another list). */
export class InvalidCursorError extends Error {
  override readonly name = "InvalidCursorError";
}

/** An opaque cursor: the keyset position after which the next page starts. */
export function encodeCursor(parts: (string | number)[]): string {
  const json = JSON.stringify(parts.map(String));
  return base64url.encode(json);
}

export function decodeCursor(cursor: string, arity: number): string[] {
  let parts: unknown;
  try {
    if (!/^[A-Za-z0-9_-]+$/.test(cursor)) throw new Error("not base64url");
    parts = JSON.parse(new TextDecoder("utf-8", { fatal: true }).decode(base64url.decode(cursor)));
  } catch {
    throw new InvalidCursorError("cursor is not valid");
  }
  if (!Array.isArray(parts) || parts.length !== arity || !parts.every((p) => typeof p === "string")) {
    throw new InvalidCursorError("cursor is not valid");
  }
  return parts;
}

/** The limits of a list's pages; default 20 per page, at most 100. */
export interface PageLimits {
  defaultLimit?: number;
  maxLimit?: number;
}

/**
 * A request's page → the keyset query's limit and position. Proto3 `limit` 0 / `cursor` "" mean
 * absent. Bad values → ConnectError InvalidArgument naming the field.
 */
export function resolvePage(
  page: { limit?: number; cursor?: string } | undefined,
  arity: number,
  limits: PageLimits = {},
): { limit: number; after: string[] | undefined } {
  const defaultLimit = limits.defaultLimit ?? DEFAULT_PAGE_LIMIT;
  const maxLimit = limits.maxLimit ?? MAX_PAGE_LIMIT;
  const limit = page?.limit === undefined || page.limit === 0 ? defaultLimit : page.limit;
  if (!Number.isInteger(limit) || limit < 1 || limit > maxLimit) {
    throw new ConnectError(
      `limit must be an integer from 1 to ${maxLimit} (default ${defaultLimit})`,
      Code.InvalidArgument,
    );
  }
  const cursor = page?.cursor;
  if (cursor === undefined || cursor === "") return { limit, after: undefined };
  try {
    return { limit, after: decodeCursor(cursor, arity) };
  } catch {
    throw invalidCursor();
  }
}

/** The answer to a cursor that is not the nextCursor of a previous page. */
export function invalidCursor(): ConnectError {
  return new ConnectError(
    "cursor is not valid: pass the nextCursor of the previous page",
    Code.InvalidArgument,
  );
}
