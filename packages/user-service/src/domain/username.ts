import { invalidField } from "@instagram/kit";

export const USERNAME_MIN = 3;
export const USERNAME_MAX = 30;
const USERNAME_CHARS = /^[a-z0-9._]+$/;

/**
 * The lookup key of a username as typed by a client: usernames are case-insensitive, so
 * "Alice" finds "alice". Throws invalid-input (at `path`) for characters outside [a-z0-9._]
 * or a length outside 3 to 30, so bad input is a 400, never a query.
 */
export function usernameKey(raw: string, path = "username"): string {
  const key = raw.toLowerCase();
  if (key.length === 0) throw invalidField(path, "is required");
  if (!USERNAME_CHARS.test(key)) throw invalidField(path, "may only contain letters, digits, '.' and '_'");
  if (key.length < USERNAME_MIN || key.length > USERNAME_MAX) {
    throw invalidField(path, `must be ${USERNAME_MIN} to ${USERNAME_MAX} characters`);
  }
  return key;
}
