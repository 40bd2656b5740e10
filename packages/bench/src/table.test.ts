import { describe, expect, it } from "vitest";
import { fixed, renderTable, times } from "./table.ts";

describe("renderTable", () => {
  it("pads every column to its widest cell, numbers to the right", () => {
    const text = renderTable(
      ["scenario", "p50 ms"],
      [
        ["upload", "12.5"],
        ["delete", "1234.0"],
      ],
    );
    expect(text.split("\n")).toEqual([
      "scenario  p50 ms",
      "--------  ------",
      "upload      12.5",
      "delete    1234.0",
    ]);
  });

  it("treats a short row as empty cells", () => {
    expect(renderTable(["a", "b"], [["only a"]]).split("\n")[2]).toBe("only a");
  });
});

describe("number cells", () => {
  it("shows missing numbers as a dash", () => {
    expect(fixed(Number.NaN)).toBe("—");
    expect(fixed(undefined)).toBe("—");
    expect(times(Number.POSITIVE_INFINITY)).toBe("—");
  });

  it("rounds to the asked decimals", () => {
    expect(fixed(1.23456, 2)).toBe("1.23");
    expect(times(2.346)).toBe("×2.35");
  });
});
