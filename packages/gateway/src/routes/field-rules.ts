import { z } from "@hono/zod-openapi";
import {
  characterCount,
  HASHTAG_MAX_LENGTH,
  USERNAME_MAX_LENGTH,
  USERNAME_MIN_LENGTH,
} from "@instagram/contracts/text-entities";
import { DEFAULT_PAGE_LIMIT, MAX_PAGE_LIMIT } from "@instagram/kit";

// The services' field rules as schema constraints, so that the document states every limit and the
// gateway refuses a bad field before any call. The shared constants come from contracts and the
// kit; the others mirror the service that owns the field (named beside each).

/** auth-service `PASSWORD_MIN`/`PASSWORD_MAX`, in characters (code points). */
export const PASSWORD_MIN = 8;
export const PASSWORD_MAX = 128;
/** auth-service `EMAIL_MAX`. */
export const EMAIL_MAX = 254;
/** user-service `DISPLAY_NAME_MAX`, `BIO_MAX`. */
export const DISPLAY_NAME_MAX = 64;
export const BIO_MAX = 150;
/** comment-service `MAX_COMMENT_CHARS`. */
export const COMMENT_MAX = 1000;

/** Usernames are case-insensitive (services lower-case them): a–z in any case, digits, `.`, `_`. */
export const USERNAME_PATTERN = `^[A-Za-z0-9._]{${USERNAME_MIN_LENGTH},${USERNAME_MAX_LENGTH}}$`;
/** auth-service's deliberately loose address check: one @, no spaces, a dot in the domain. */
const EMAIL_PATTERN = "^[^\\s@]+@[^\\s@.]+(\\.[^\\s@.]+)+$";

/** Text of `min`–`max` characters as people count them (code points), as the services count. */
export function characters(min: number, max: number) {
  const rule = min > 0 ? `must be ${min} to ${max} characters` : `must be at most ${max} characters`;
  return z
    .string()
    .refine((text) => {
      const count = characterCount(text);
      return count >= min && count <= max;
    }, rule)
    .openapi(min > 0 ? { minLength: min, maxLength: max } : { maxLength: max });
}

export const username = () =>
  z
    .string()
    .regex(
      new RegExp(USERNAME_PATTERN),
      `must be ${USERNAME_MIN_LENGTH} to ${USERNAME_MAX_LENGTH} of a–z, 0–9, '.' and '_'`,
    )
    .openapi({ minLength: USERNAME_MIN_LENGTH, maxLength: USERNAME_MAX_LENGTH, example: "alice" });

export const email = () =>
  z
    .string()
    .max(EMAIL_MAX)
    .regex(new RegExp(EMAIL_PATTERN), "is not a valid email address")
    .openapi({ example: "alice@example.com" });

export const password = () => characters(PASSWORD_MIN, PASSWORD_MAX);

/** No control characters (C0, DEL, C1); a bio may keep line breaks. */
export const NO_CONTROL = "^[^\\u0000-\\u001f\\u007f-\\u009f]*$";
export const NO_CONTROL_BUT_LINE_BREAKS = "^[^\\u0000-\\u0009\\u000b\\u000c\\u000e-\\u001f\\u007f-\\u009f]*$";

/** `limit`: 1–100 in decimal digits only (`0x10` and `1e1` are refused), 20 when absent. */
export const pageLimit = z
  .preprocess(
    (value) => (typeof value === "string" && /^[0-9]+$/.test(value) ? Number(value) : value),
    z.number({ error: "must be a whole number in decimal digits" }).int().min(1).max(MAX_PAGE_LIMIT),
  )
  .default(DEFAULT_PAGE_LIMIT);

export { HASHTAG_MAX_LENGTH };
