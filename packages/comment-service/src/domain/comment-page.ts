import { CommentError } from "./errors.ts";
import { isUuid } from "./ids.ts";

/** The position of a comment in its image's oldest-first list: (created_at, id) ascending, so ties never skip. */
export interface CommentKey {
  createdAt: Date;
  id: string;
}

export interface CommentPage<T> {
  items: T[];
  /** The key of the last item, when more may follow. */
  nextKey: CommentKey | undefined;
}

export function cursorPartsOf(key: CommentKey): string[] {
  return [key.createdAt.toISOString(), key.id];
}

/** A decoded cursor's parts back into a key; anything else is invalid input. */
export function commentKeyOf(parts: readonly string[]): CommentKey {
  const [at, id] = parts;
  const createdAt = new Date(at ?? "");
  if (at === undefined || id === undefined || Number.isNaN(createdAt.getTime()) || !isUuid(id)) {
    throw new CommentError("invalid-input", "cursor is not valid: pass the nextCursor of the previous page");
  }
  return { createdAt, id };
}

/** Rows fetched with limit + 1 → the page and, when the extra row came back, where the next one starts. */
export function pageOf<T extends CommentKey>(rows: T[], limit: number): CommentPage<T> {
  const items = rows.slice(0, limit);
  const last = items[items.length - 1];
  return {
    items,
    nextKey:
      rows.length > limit && last !== undefined ? { createdAt: last.createdAt, id: last.id } : undefined,
  };
}
