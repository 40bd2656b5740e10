import { v7 } from "uuid";

/** A new time-ordered id (UUIDv7). */
export function newId(): string {
  return v7();
}
