import { Code, ConnectError } from "@connectrpc/connect";
import { describe, expect, it } from "vitest";
import { decodeCursor, encodeCursor, InvalidCursorError, pageLimitSchema, resolvePage } from "./cursor.ts";

function invalidArgument(run: () => unknown): ConnectError {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(ConnectError);
    expect((error as ConnectError).code).toBe(Code.InvalidArgument);
    return error as ConnectError;
  }
  throw new Error("expected InvalidArgument");
}

describe("cursors", () => {
  it("round-trip keyset positions as opaque url-safe text", () => {
    const parts = ["2024-05-01T10:00:00.000Z", "0190a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5b", 42, "ünïcødé/+="];
    const cursor = encodeCursor(parts);
    expect(cursor).toMatch(/^[A-Za-z0-9_-]+$/);
    expect(cursor).not.toContain("0190a1b2");
    expect(decodeCursor(cursor, 4)).toEqual(parts.map(String));
  });

  it("reject garbage, tampering and cursors of another arity", () => {
    const cursor = encodeCursor(["a", "b"]);
    for (const bad of ["", "!!!", "not a cursor", cursor.slice(0, -3), encodeCursor(["a"]), btoa("{}")]) {
      expect(() => decodeCursor(bad, 2)).toThrow(InvalidCursorError);
    }
    expect(() => decodeCursor(cursor, 3)).toThrow(InvalidCursorError);
  });
});

describe("resolvePage", () => {
  it("defaults to 20 from the start; 0 and empty mean absent (proto3)", () => {
    expect(resolvePage(undefined, 2)).toEqual({ limit: 20, after: undefined });
    expect(resolvePage({ limit: 0, cursor: "" }, 2)).toEqual({ limit: 20, after: undefined });
    expect(resolvePage({ limit: 100, cursor: encodeCursor(["t", "id"]) }, 2)).toEqual({
      limit: 100,
      after: ["t", "id"],
    });
  });

  it("answers InvalidArgument naming limit or cursor", () => {
    for (const limit of [-1, 101, 2.5, Number.NaN]) {
      expect(invalidArgument(() => resolvePage({ limit }, 1)).rawMessage).toMatch(/limit/);
    }
    expect(invalidArgument(() => resolvePage({ cursor: "garbage!" }, 1)).rawMessage).toMatch(/cursor/);
    expect(invalidArgument(() => resolvePage({ cursor: encodeCursor(["a", "b"]) }, 1)).rawMessage).toMatch(
      /cursor/,
    );
  });

  it("takes a list's own limits", () => {
    const limits = { defaultLimit: 100, maxLimit: 1000 };
    expect(resolvePage(undefined, 1, limits).limit).toBe(100);
    expect(resolvePage({ limit: 1000 }, 1, limits).limit).toBe(1000);
    expect(invalidArgument(() => resolvePage({ limit: 1001 }, 1, limits)).rawMessage).toBe(
      "limit must be an integer from 1 to 1000 (default 100)",
    );
  });

  it("exposes the limit rule as a zod schema", () => {
    expect(pageLimitSchema.parse(undefined)).toBe(20);
    expect(pageLimitSchema.safeParse(0).success).toBe(false);
    expect(pageLimitSchema.safeParse(100).success).toBe(true);
  });
});
