import { describe, expect, it } from "vitest";
import { SelfFollow } from "./errors.ts";
import { assertNotSelf } from "./follow.ts";
import { isUuid } from "./ids.ts";

describe("follow rules", () => {
  it("forbids following yourself", () => {
    expect(() => assertNotSelf("u1", "u1")).toThrow(SelfFollow);
    expect(() => assertNotSelf("u1", "u2")).not.toThrow();
  });

  it("recognises user ids", () => {
    expect(isUuid("0192f0a4-8b1c-7def-8123-456789abcdef")).toBe(true);
    expect(isUuid("0192F0A4-8B1C-7DEF-8123-456789ABCDEF")).toBe(true);
    expect(isUuid("not-a-uuid")).toBe(false);
    expect(isUuid("")).toBe(false);
  });
});
