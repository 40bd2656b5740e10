import type { Random } from "./random.ts";

/**
 * A UUIDv7 (RFC 9562) for an instant in the past, with seeded random bits: the same kind of id
 * kit's newId() gives a row created at that millisecond (48-bit ms, version 7, variant 10).
 */
export function uuidV7At(ms: number, random: Random): string {
  const time = Math.floor(ms).toString(16).padStart(12, "0");
  const hex = (digits: number): string =>
    Array.from({ length: digits }, () => random.int(16).toString(16)).join("");
  const variant = (8 + random.int(4)).toString(16);
  return `${time.slice(0, 8)}-${time.slice(8, 12)}-7${hex(3)}-${variant}${hex(3)}-${hex(12)}`;
}

/** The millisecond a UUIDv7 carries. */
export function msOfUuidV7(id: string): number {
  return Number.parseInt(id.replace(/-/g, "").slice(0, 12), 16);
}
