import { describe, expect, it } from "vitest";
import { assertNotSelf } from "./follow.ts";

describe("follow rules", () => {
  it("forbids following yourself", () => {
    expect(() => assertNotSelf("u1", "u1")).toThrow(
      expect.objectContaining({
        kind: "invalid-input",
        reason: "self-follow",
        fieldErrors: [{ path: "username", message: "you cannot follow yourself" }],
      }),
    );
    expect(() => assertNotSelf("u1", "u2")).not.toThrow();
  });
});
