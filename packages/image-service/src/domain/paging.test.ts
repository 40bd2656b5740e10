import { describe, expect, it } from "vitest";
import { cursorPartsOf, listKeyOf } from "./paging.ts";

describe("list keys", () => {
  it("round-trips through cursor parts", () => {
    const key = {
      createdAt: new Date("2025-01-02T03:04:05.678Z"),
      id: "01930000-0000-7000-8000-000000000001",
    };
    expect(listKeyOf(cursorPartsOf(key))).toEqual(key);
  });

  it("refuses tampered parts", () => {
    expect(() => listKeyOf(["not a date", "01930000-0000-7000-8000-000000000001"])).toThrowError(
      expect.objectContaining({ kind: "invalid-input" }),
    );
    expect(() => listKeyOf(["2025-01-02T03:04:05.678Z", "x'; drop table"])).toThrowError(
      expect.objectContaining({ kind: "invalid-input" }),
    );
    expect(() => listKeyOf([])).toThrowError(expect.objectContaining({ kind: "invalid-input" }));
  });
});
