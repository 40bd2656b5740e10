import { describe, expect, it } from "vitest";
import { hashRefreshToken, isWellFormedRefreshToken, newRefreshToken } from "./refresh-tokens.ts";

describe("refresh tokens", () => {
  it("are 32 random bytes in base64url, different every time", () => {
    const tokens = new Set(Array.from({ length: 50 }, newRefreshToken));
    expect(tokens.size).toBe(50);
    for (const token of tokens) {
      expect(token).toMatch(/^[A-Za-z0-9_-]{43}$/);
      expect(isWellFormedRefreshToken(token)).toBe(true);
    }
  });

  it("refuses what cannot be one of ours", () => {
    expect(isWellFormedRefreshToken("")).toBe(false);
    expect(isWellFormedRefreshToken(`${newRefreshToken()}x`)).toBe(false);
    expect(isWellFormedRefreshToken(`${"a".repeat(42)}=`)).toBe(false);
  });

  it("hash to the hex SHA-256 of the token text", async () => {
    // SHA-256("abc"), FIPS 180-2 test vector.
    expect(await hashRefreshToken("abc")).toBe(
      "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad",
    );
    const token = newRefreshToken();
    expect(await hashRefreshToken(token)).toBe(await hashRefreshToken(token));
  });
});
