import { v7 } from "uuid";

/** A new time-ordered id (UUIDv7). */
export function newId(): string {
  return v7();
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Whether `value` is a UUID (any version, any case): ids are, so anything else names no row. */
export function isUuid(value: string): boolean {
  return UUID.test(value);
}
