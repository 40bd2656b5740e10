import { describe, expect, it } from "vitest";
import { parseSearchQuery } from "./search-query.ts";

function inRange(username: string, range: { from: string; below: string }): boolean {
  // Byte order, as the "C" collation compares.
  return (
    Buffer.compare(Buffer.from(username), Buffer.from(range.from)) >= 0 &&
    Buffer.compare(Buffer.from(username), Buffer.from(range.below)) < 0
  );
}

describe("parseSearchQuery", () => {
  it("is case-insensitive", () => {
    expect(parseSearchQuery(" AL ").from).toBe("al");
  });

  it("covers exactly the usernames that start with the prefix", () => {
    const range = parseSearchQuery("al");
    const names = ["al", "al.", "al_", "al9", "alzzzz", "ak", "am", "a", "b", "zal", "a_l"];
    expect(names.filter((n) => inRange(n, range))).toEqual(["al", "al.", "al_", "al9", "alzzzz"]);
  });

  it("treats '_' and '.' literally", () => {
    const range = parseSearchQuery("a_");
    expect(inRange("a_b", range)).toBe(true);
    expect(inRange("abb", range)).toBe(false);
  });

  it.each(["", "   ", "a%", "a b", "o'neil", "x".repeat(31)])("rejects %j", (raw) => {
    expect(() => parseSearchQuery(raw)).toThrow(expect.objectContaining({ kind: "invalid-input" }));
  });
});
