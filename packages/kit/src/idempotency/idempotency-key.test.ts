import { describe, expect, it } from "vitest";
import { isDomainError } from "../errors/domain-error.ts";
import { readIdempotencyKey } from "./idempotency-key.ts";

describe("readIdempotencyKey", () => {
  it("passes an absent header as undefined and a printable key as is", () => {
    expect(readIdempotencyKey(undefined)).toBeUndefined();
    expect(readIdempotencyKey(null)).toBeUndefined();
    expect(readIdempotencyKey("a1 b2-~")).toBe("a1 b2-~");
    expect(readIdempotencyKey("k".repeat(255))).toBe("k".repeat(255));
  });

  it("refuses an empty, over-long or non-ASCII key as invalid input", () => {
    for (const bad of ["", "k".repeat(256), "café", "tab\there"]) {
      let refusal: unknown;
      try {
        readIdempotencyKey(bad);
      } catch (error) {
        refusal = error;
      }
      expect(isDomainError(refusal, "invalid-input")).toBe(true);
    }
  });
});
