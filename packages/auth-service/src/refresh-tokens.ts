// Opaque refresh tokens: 32 random bytes, base64url. Only their SHA-256 is stored, so a leaked
// table cannot be replayed. Web Crypto only, so this runs on Node and Deno alike.

const TOKEN_BYTES = 32;
const tokenPattern = /^[A-Za-z0-9_-]{43}$/;

function base64url(bytes: Uint8Array): string {
  let binary = "";
  for (const byte of bytes) binary += String.fromCharCode(byte);
  return btoa(binary).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
}

export function newRefreshToken(): string {
  return base64url(crypto.getRandomValues(new Uint8Array(TOKEN_BYTES)));
}

/** False for anything that cannot be a token we issued (saves a database round trip). */
export function isWellFormedRefreshToken(token: string): boolean {
  return tokenPattern.test(token);
}

/** Hex SHA-256 of the token: the key refresh tokens are stored and looked up under. */
export async function hashRefreshToken(token: string): Promise<string> {
  const digest = new Uint8Array(await crypto.subtle.digest("SHA-256", new TextEncoder().encode(token)));
  return Array.from(digest, (byte) => byte.toString(16).padStart(2, "0")).join("");
}
