import { describe, expect, it } from "vitest";
import { createArgon2Hasher, testArgon2Cost } from "./argon2-hasher.ts";

describe("argon2 password hasher", () => {
  const hasher = createArgon2Hasher(testArgon2Cost);

  it("hashes with argon2id and a fresh salt", async () => {
    const first = await hasher.hash("correct horse");
    const second = await hasher.hash("correct horse");
    expect(first).toMatch(/^\$argon2id\$v=19\$m=1024,t=1,p=1\$/);
    expect(first).not.toBe(second);
  });

  it("verifies the right password only", async () => {
    const hash = await hasher.hash("correct horse");
    expect(await hasher.verify(hash, "correct horse")).toBe(true);
    expect(await hasher.verify(hash, "Correct horse")).toBe(false);
  });

  it("answers false for a malformed hash instead of throwing", async () => {
    expect(await hasher.verify("not a hash", "correct horse")).toBe(false);
  });

  it("uses at least OWASP's argon2id minimum by default", async () => {
    expect(await createArgon2Hasher().hash("correct horse")).toMatch(/^\$argon2id\$v=19\$m=19456,t=2,p=1\$/);
  });
});
