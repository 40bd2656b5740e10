import { ImageError } from "./errors.ts";

/** The position of a row in a newest-first list: (created_at, id) descending, so ties never skip. */
export interface ListKey {
  createdAt: Date;
  id: string;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

export function isUuid(value: string): boolean {
  return UUID.test(value);
}

/** Cursor parts of the last row of a page. */
export function cursorPartsOf(key: ListKey): string[] {
  return [key.createdAt.toISOString(), key.id];
}

/** A decoded cursor's parts back into a key; anything else is invalid input. */
export function listKeyOf(parts: readonly string[]): ListKey {
  const [at, id] = parts;
  const createdAt = new Date(at ?? "");
  if (at === undefined || id === undefined || Number.isNaN(createdAt.getTime()) || !isUuid(id)) {
    throw new ImageError("invalid-input", "the cursor is not valid");
  }
  return { createdAt, id };
}
