// Values for the fuzz: those a schema allows (roughly: the server is the judge) and hostile ones.
import fc from "fast-check";
import type { Schema } from "./contract.ts";

export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

/** Values known to exist in the stack under test, by parameter or property name (id, username, ...). */
export type Known = Record<string, string[]>;

/** A value the schema describes, or close to it: lengths, ranges and patterns as declared. */
export function conforming(schema: Schema, known: Known = {}, name = "", depth = 0): fc.Arbitrary<Json> {
  const own = conformingTo(schema, known, depth);
  const existing = known[name];
  return existing && existing.length > 0 ? fc.oneof(fc.constantFrom(...existing), own) : own;
}

function conformingTo(schema: Schema, known: Known, depth: number): fc.Arbitrary<Json> {
  if (schema.const !== undefined) return fc.constant(schema.const as Json);
  if (schema.enum && schema.enum.length > 0) return fc.constantFrom(...(schema.enum as Json[]));
  const choices = schema.oneOf ?? schema.anyOf;
  if (choices && choices.length > 0)
    return fc.oneof(...choices.map((choice) => conforming(choice, known, "", depth)));
  if (schema.allOf && schema.allOf.length > 0) return conforming(merged(schema.allOf), known, "", depth);
  const types = Array.isArray(schema.type) ? schema.type : schema.type ? [schema.type] : [];
  if (types.length > 1)
    return fc.oneof(...types.map((type) => conforming({ ...schema, type }, known, "", depth)));
  switch (types[0] ?? (schema.properties ? "object" : undefined)) {
    case "string":
      return text(schema);
    case "integer":
      return fc.integer({ min: schema.minimum ?? -1_000_000, max: schema.maximum ?? 1_000_000 });
    case "number":
      return fc.double({ min: schema.minimum ?? -1e6, max: schema.maximum ?? 1e6, noNaN: true });
    case "boolean":
      return fc.boolean();
    case "null":
      return fc.constant(null);
    case "array":
      return depth > 4
        ? fc.constant([])
        : fc.array(conforming(schema.items ?? {}, known, "", depth + 1), {
            minLength: schema.minItems ?? 0,
            maxLength: Math.min(schema.maxItems ?? 4, 4),
          });
    case "object":
      return object(schema, known, depth);
    default:
      return jsonScalar;
  }
}

function merged(schemas: Schema[]): Schema {
  const all: Schema = { properties: {}, required: [] };
  for (const one of schemas) {
    Object.assign(all.properties ?? {}, one.properties);
    all.required?.push(...(one.required ?? []));
    if (one.type) all.type = one.type;
  }
  return all;
}

function object(schema: Schema, known: Known, depth: number): fc.Arbitrary<Json> {
  if (depth > 4) return fc.constant({});
  const properties = schema.properties ?? {};
  const model: Record<string, fc.Arbitrary<Json>> = {};
  for (const [key, value] of Object.entries(properties))
    model[key] = conforming(value, known, key, depth + 1);
  const required = (schema.required ?? []).filter((key) => key in model);
  return fc.record(model, { requiredKeys: required, noNullPrototype: true }) as fc.Arbitrary<Json>;
}

function text(schema: Schema): fc.Arbitrary<string> {
  const minLength = schema.minLength ?? 0;
  const maxLength = Math.max(minLength, Math.min(schema.maxLength ?? 40, 64));
  switch (schema.format) {
    case "uuid":
      return fc.uuid();
    case "date-time":
      return fc
        .date({ min: new Date("2000-01-01"), max: new Date("2100-01-01"), noInvalidDate: true })
        .map((date) => date.toISOString());
    case "email":
      return fc.emailAddress();
    case "binary":
    case "byte":
      return fc.string({ minLength, maxLength, unit: "binary-ascii" });
  }
  if (schema.pattern) {
    const pattern = new RegExp(schema.pattern);
    return fc
      .stringMatching(pattern, { size: "small" })
      .filter((value) => value.length <= (schema.maxLength ?? 64));
  }
  return fc.string({ minLength, maxLength, unit: "grapheme" });
}

const jsonScalar: fc.Arbitrary<Json> = fc.oneof(
  fc.constant(null),
  fc.boolean(),
  fc.integer(),
  fc.string({ maxLength: 12 }),
);

/** Strings an attacker or a broken client sends: bytes Postgres refuses, overflows, escapes, junk. */
export const hostileText: fc.Arbitrary<string> = fc.oneof(
  fc.constantFrom<string>(
    "",
    " ",
    "\u0000",
    "a\u0000b",
    "\u0001\u0002\u001b[31m\u007f",
    "\r\n\r\nX-Injected: 1",
    "\ud800",
    "\udfff\ud800",
    "\u202e\u0301\u200b\ufeff",
    "👩‍👩‍👧‍👦🏳️‍🌈",
    "%",
    "%zz",
    "%00",
    "%C0%AF",
    "../../../etc/passwd",
    "' OR 1=1 --",
    '"; DROP TABLE users; --',
    "<script>alert(1)</script>",
    "\u0024{jndi:ldap://x/a}",
    "{{7*7}}",
    "-1",
    "0",
    "0x10",
    "1e309",
    "NaN",
    "Infinity",
    "-0",
    "99999999999999999999999999999999999999",
    "-9223372036854775809",
    "null",
    "[]",
    "{}",
    "true",
    "__proto__",
    "constructor",
  ),
  fc.string({ maxLength: 40, unit: "binary" }),
  fc.string({ maxLength: 40, unit: "binary-ascii" }),
  fc.string({ maxLength: 40, unit: "grapheme" }),
  fc.base64String({ maxLength: 120 }),
  fc.constantFrom(1_000, 5_000, 70_000).map((length) => "a".repeat(length)),
);

/** Numbers at and past every edge. */
const hostileNumber: fc.Arbitrary<number> = fc.oneof(
  fc.constantFrom(-1, 0, -0, 0.5, 1e308, -1e308, 2 ** 31, 2 ** 53 + 1, -(2 ** 63), Number.MAX_VALUE),
  fc.double({ noNaN: true, noDefaultInfinity: true }),
  fc.integer({ min: -(2 ** 31), max: 2 ** 31 - 1 }),
);

/** Nested arrays or objects `depth` levels deep, as JSON text. */
export function deepJson(depth: number, kind: "array" | "object"): string {
  return kind === "array"
    ? `${"[".repeat(depth)}${"]".repeat(depth)}`
    : `${'{"a":'.repeat(depth)}1${"}".repeat(depth)}`;
}

/** Any JSON value, of the wrong type for most fields, some of them large. */
export const hostileJson: fc.Arbitrary<Json> = fc.oneof(
  hostileText,
  hostileNumber,
  fc.constantFrom<Json>(null, true, false, [], {}, [null], { "": null }, { __proto__: { admin: true } }),
  fc.jsonValue({ maxDepth: 4 }) as fc.Arbitrary<Json>,
  fc.constantFrom(1_000, 20_000).map((length) => Array.from({ length }, (_, index) => index)),
);

/** The schema's value most of the time, a hostile one sometimes: each field of a body gets its turn. */
export function mutated(schema: Schema, known: Known): fc.Arbitrary<Json> {
  const base = conforming(schema, known);
  const keys = Object.keys(schema.properties ?? {});
  if (keys.length === 0) return fc.oneof(base, hostileJson);
  return fc
    .tuple(base, fc.constantFrom(...keys), hostileJson, fc.boolean())
    .map(([value, key, bad, drop]) => {
      if (value === null || typeof value !== "object" || Array.isArray(value)) return value;
      const copy: { [key: string]: Json } = { ...value };
      if (drop) delete copy[key];
      else copy[key] = bad;
      return copy;
    });
}
