import { mkdtemp, readdir, rm, stat, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { loadOrCreateSigningKey } from "./key-file.ts";
import { createAccessTokenSigner } from "./signer.ts";

const dirs: string[] = [];
afterEach(async () => {
  for (const dir of dirs.splice(0)) await rm(dir, { recursive: true, force: true });
});

async function tempDir(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), "kit-key-"));
  dirs.push(dir);
  return dir;
}

describe("loadOrCreateSigningKey", () => {
  it("creates a private Ed25519 key with mode 0600 and reads the same key back", async () => {
    const path = join(await tempDir(), "keys", "signing.jwk");
    const created = await loadOrCreateSigningKey(path);
    expect(created).toMatchObject({ kty: "OKP", crv: "Ed25519", d: expect.any(String) });
    expect((await stat(path)).mode & 0o777).toBe(0o600);
    expect(await loadOrCreateSigningKey(path)).toEqual(created);
    await expect(
      createAccessTokenSigner({ privateJwk: created, issuer: "i", ttlSeconds: 60 }),
    ).resolves.toBeDefined();
  });

  it("gives concurrent starters the same key and leaves no temporary files", async () => {
    const dir = await tempDir();
    const path = join(dir, "signing.jwk");
    const keys = await Promise.all([1, 2, 3, 4].map(() => loadOrCreateSigningKey(path)));
    for (const key of keys) expect(key).toEqual(keys[0]);
    expect(await readdir(dir)).toEqual(["signing.jwk"]);
  });

  it("refuses a file that holds no private key", async () => {
    const path = join(await tempDir(), "signing.jwk");
    await writeFile(path, JSON.stringify({ kty: "OKP", crv: "Ed25519", x: "abc" }));
    await expect(loadOrCreateSigningKey(path)).rejects.toThrow(/private JWK/);
  });
});
