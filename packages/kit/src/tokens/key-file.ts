import { randomUUID } from "node:crypto";
import { chmod, link, mkdir, readFile, unlink, writeFile } from "node:fs/promises";
import { dirname } from "node:path";
import type { JWK } from "jose";
import { generateSigningKey } from "./signer.ts";

/**
 * The signing key kept in a JWK file (dev default: under DATA_DIR; never in the repo). A missing file
 * is created with a new Ed25519 key, mode 0600, atomically: written aside, then hard-linked into
 * place, so two processes starting together end up with the same key.
 */
export async function loadOrCreateSigningKey(path: string): Promise<JWK> {
  const existing = await readKey(path);
  if (existing) return existing;

  await mkdir(dirname(path), { recursive: true, mode: 0o700 });
  const aside = `${path}.${randomUUID()}.tmp`;
  await writeFile(aside, `${JSON.stringify(await generateSigningKey())}\n`, { mode: 0o600, flag: "wx" });
  try {
    await chmod(aside, 0o600); // the umask may have taken bits off
    await link(aside, path);
  } catch (error) {
    if (!isCode(error, "EEXIST")) throw error;
  } finally {
    await unlink(aside).catch(() => {});
  }
  const created = await readKey(path);
  if (!created) throw new Error(`signing key file ${path} vanished while being created`);
  return created;
}

async function readKey(path: string): Promise<JWK | undefined> {
  let text: string;
  try {
    text = await readFile(path, "utf8");
  } catch (error) {
    if (isCode(error, "ENOENT")) return undefined;
    throw error;
  }
  const jwk: unknown = JSON.parse(text);
  if (typeof jwk !== "object" || jwk === null || !("kty" in jwk) || !("d" in jwk)) {
    throw new Error(`signing key file ${path} does not hold a private JWK`);
  }
  return jwk as JWK;
}

function isCode(error: unknown, code: string): boolean {
  return typeof error === "object" && error !== null && "code" in error && error.code === code;
}
