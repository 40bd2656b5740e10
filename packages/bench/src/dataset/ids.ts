import type { Random } from "./random.ts";

/**
 * A UUIDv7 (RFC 9562) for an instant in the past, with seeded random bits: the same kind of id
 * kit's newId() gives a row created at that millisecond (48-bit ms, version 7, variant 10).
 */
export function uuidV7At(ms: number, random: Random): string {
  const time = Math.floor(ms).toString(16).padStart(12, "0");
  const a = random.int(0x1_0000_0000);
  const b = random.int(0x1_0000_0000);
  const c = random.int(0x1_0000);
  const variant = (8 | ((a >>> 12) & 3)).toString(16);
  return `${time.slice(0, 8)}-${time.slice(8, 12)}-7${hex(a & 0xfff, 3)}-${variant}${hex((a >>> 14) & 0xfff, 3)}-${hex(b, 8)}${hex(c, 4)}`;
}

function hex(value: number, digits: number): string {
  return value.toString(16).padStart(digits, "0");
}

/** The millisecond a UUIDv7 carries. */
export function msOfUuidV7(id: string): number {
  return Number.parseInt(id.replace(/-/g, "").slice(0, 12), 16);
}
