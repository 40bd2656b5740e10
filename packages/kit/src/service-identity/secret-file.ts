import { randomUUID } from "node:crypto";
import { chmod, link, mkdir, readFile, unlink, writeFile } from "node:fs/promises";
import { dirname } from "node:path";

/**
 * The text of a secret kept in a file (dev defaults under DATA_DIR; never in the repo). A missing
 * file is created with `create()`'s text, mode 0600, atomically: written aside, then hard-linked
 * into place, so processes starting together end up with the same secret.
 */
export async function loadOrCreateSecretFile(path: string, create: () => Promise<string>): Promise<string> {
  const existing = await readSecret(path);
  if (existing !== undefined) return existing;

  await mkdir(dirname(path), { recursive: true, mode: 0o700 });
  const aside = `${path}.${randomUUID()}.tmp`;
  await writeFile(aside, await create(), { mode: 0o600, flag: "wx" });
  try {
    await chmod(aside, 0o600); // the umask may have taken bits off
    await link(aside, path);
  } catch (error) {
    if (!isCode(error, "EEXIST")) throw error;
  } finally {
    await unlink(aside).catch(() => {});
  }
  const created = await readSecret(path);
  if (created === undefined) throw new Error(`secret file ${path} vanished while being created`);
  return created;
}

async function readSecret(path: string): Promise<string | undefined> {
  try {
    return await readFile(path, "utf8");
  } catch (error) {
    if (isCode(error, "ENOENT")) return undefined;
    throw error;
  }
}

function isCode(error: unknown, code: string): boolean {
  return typeof error === "object" && error !== null && "code" in error && error.code === code;
}
