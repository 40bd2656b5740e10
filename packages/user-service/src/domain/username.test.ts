import { DomainError } from "@instagram/kit";
import { describe, expect, it } from "vitest";
import { usernameKey } from "./username.ts";

describe("usernameKey", () => {
  it("lower-cases so lookups are case-insensitive", () => {
    expect(usernameKey("Alice.B_2")).toBe("alice.b_2");
  });

  it.each(["al ice", "bob!", "ünï", "a-b-c", "drop;table"])("rejects illegal characters in %j", (raw) => {
    expect(() => usernameKey(raw)).toThrow(expect.objectContaining({ kind: "invalid-input" }));
  });

  it("rejects lengths outside 3–30 and names the field", () => {
    for (const raw of ["ab", "a".repeat(31), ""]) {
      try {
        usernameKey(raw, "username");
        expect.unreachable();
      } catch (error) {
        expect(error).toBeInstanceOf(DomainError);
        expect((error as DomainError).fieldErrors[0]?.path).toBe("username");
      }
    }
    expect(usernameKey("abc")).toBe("abc");
    expect(usernameKey("a".repeat(30))).toBe("a".repeat(30));
  });
});
