import { invalidField } from "@instagram/kit";
import { USERNAME_MAX } from "./username.ts";

const QUERY_CHARS = /^[a-z0-9._]+$/;

/** Usernames sort in the "C" collation; '~' (0x7e) is above every character a username may hold. */
const ABOVE_USERNAME_CHARS = "~";

export interface UsernameRange {
  /** Inclusive lower bound: the prefix itself. */
  from: string;
  /** Exclusive upper bound: every username starting with the prefix sorts below it. */
  below: string;
}

/**
 * A username-prefix search (case-insensitive). The prefix becomes a range of usernames so that
 * the query is an index range scan under any plan (a LIKE pattern only is when its value is
 * known at planning time), and '_' needs no escaping.
 */
export function parseSearchQuery(raw: string): UsernameRange {
  const prefix = raw.trim().toLowerCase();
  if (prefix.length === 0) throw invalidField("query", "is required");
  if (prefix.length > USERNAME_MAX) throw invalidField("query", `must be at most ${USERNAME_MAX} characters`);
  if (!QUERY_CHARS.test(prefix)) throw invalidField("query", "may only contain letters, digits, '.' and '_'");
  return { from: prefix, below: prefix + ABOVE_USERNAME_CHARS };
}
