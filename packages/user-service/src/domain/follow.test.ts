import { describe, expect, it } from "vitest";
import { SelfFollow } from "./errors.ts";
import { assertNotSelf } from "./follow.ts";

describe("follow rules", () => {
  it("forbids following yourself", () => {
    expect(() => assertNotSelf("u1", "u1")).toThrow(SelfFollow);
    expect(() => assertNotSelf("u1", "u2")).not.toThrow();
  });
});
