import { describe, expect, it } from "vitest";
import { commentKeyOf, cursorPartsOf, pageOf } from "./comment-page.ts";
import { CommentError } from "./errors.ts";

const id = (n: number) => `0190a000-0000-7000-8000-${String(n).padStart(12, "0")}`;

describe("comment cursors", () => {
  it("round-trips a key through its cursor parts", () => {
    const key = { createdAt: new Date("2025-01-02T03:04:05.678Z"), id: id(1) };
    expect(commentKeyOf(cursorPartsOf(key))).toEqual(key);
  });

  it("refuses parts that are not a time and a UUID", () => {
    for (const parts of [
      ["yesterday", id(1)],
      ["2025-01-02T03:04:05.678Z", "x"],
      ["2025-01-02T03:04:05.678Z"],
    ]) {
      expect(() => commentKeyOf(parts)).toThrow(CommentError);
    }
  });
});

describe("pageOf", () => {
  const rows = [1, 2, 3].map((n) => ({ id: id(n), createdAt: new Date(n * 1000) }));

  it("gives the next key when the extra row came back", () => {
    const page = pageOf(rows, 2);
    expect(page.items).toEqual(rows.slice(0, 2));
    expect(page.nextKey).toEqual({ id: id(2), createdAt: new Date(2000) });
  });

  it("gives no next key on the last page", () => {
    expect(pageOf(rows, 3)).toEqual({ items: rows, nextKey: undefined });
    expect(pageOf([], 3)).toEqual({ items: [], nextKey: undefined });
  });
});
