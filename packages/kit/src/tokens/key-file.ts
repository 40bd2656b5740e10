import type { JWK } from "jose";
import { loadOrCreateSecretFile } from "../service-identity/secret-file.ts";
import { generateSigningKey } from "./signer.ts";

/**
 * The signing key kept in a JWK file (dev default: under DATA_DIR; never in the repo). A missing file
 * is created with a new Ed25519 key, mode 0600, atomically: written aside, then hard-linked into
 * place, so two processes starting together end up with the same key.
 */
export async function loadOrCreateSigningKey(path: string): Promise<JWK> {
  const text = await loadOrCreateSecretFile(
    path,
    async () => `${JSON.stringify(await generateSigningKey())}\n`,
  );
  const jwk: unknown = JSON.parse(text);
  if (typeof jwk !== "object" || jwk === null || !("kty" in jwk) || !("d" in jwk)) {
    throw new Error(`signing key file ${path} does not hold a private JWK`);
  }
  return jwk as JWK;
}
