import { base64url } from "jose";

/** Fewest bytes of a service-token key: HS256 wants a key as long as its hash. */
export const SERVICE_KEY_MIN_BYTES = 32;

/**
 * The key's bytes from its text (base64 or base64url), or undefined when it is not such text or
 * holds fewer than 32 bytes. The text is never echoed: it is a secret.
 */
export function serviceKeyBytes(text: string): Uint8Array | undefined {
  const trimmed = text.trim();
  if (!/^[A-Za-z0-9+/_-]+={0,2}$/.test(trimmed)) return undefined;
  let bytes: Uint8Array;
  try {
    bytes = base64url.decode(trimmed.replace(/=+$/, "").replaceAll("+", "-").replaceAll("/", "_"));
  } catch {
    return undefined;
  }
  return bytes.length >= SERVICE_KEY_MIN_BYTES ? bytes : undefined;
}

/** A new random key as text (32 bytes, base64url), for SERVICE_TOKEN_KEY or its file. */
export function generateServiceKey(): string {
  return base64url.encode(crypto.getRandomValues(new Uint8Array(SERVICE_KEY_MIN_BYTES)));
}
