// What the server reads out of text people write (captions, comments), as API.md defines it:
// hashtags `#[\p{L}\p{N}_]{1,100}` lower-cased and unique, mentions `@username`. Part of the public
// contract, so every service reads text the same way.

export const HASHTAG_MAX_LENGTH = 100;
export const USERNAME_MIN_LENGTH = 3;
export const USERNAME_MAX_LENGTH = 30;

// A tag or mention starts at a word boundary and must not run on past its maximum length
// (a 101-character run is no hashtag, not a truncated one).
const HASHTAG = /(?<![\p{L}\p{N}_])#([\p{L}\p{N}_]{1,100})(?![\p{L}\p{N}_])/gu;
const MENTION = /(?<![\p{L}\p{N}_.@])@([A-Za-z0-9._]{3,30})(?![A-Za-z0-9._])/gu;
const TAG = /^[\p{L}\p{N}_]{1,100}$/u;
const USERNAME = /^[a-z0-9._]{3,30}$/;
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/** `#Tag` → "tag": NFC, lower-cased, unique, in order of first appearance. */
export function hashtagsOf(text: string): string[] {
  const tags = new Set<string>();
  for (const match of text.normalize("NFC").matchAll(HASHTAG)) {
    if (match[1] !== undefined) tags.add(match[1].toLowerCase());
  }
  return [...tags];
}

/** `@Name` → "name": lower-cased, unique; a trailing full stop ends the sentence, not the name. */
export function mentionsOf(text: string): string[] {
  const names = new Set<string>();
  for (const match of text.matchAll(MENTION)) {
    const name = match[1]?.replace(/\.+$/, "").toLowerCase();
    if (name !== undefined && USERNAME.test(name)) names.add(name);
  }
  return [...names];
}

/** A tag as a client asks for it (`Sunset`, `#sunset`) → the form hashtagsOf gives, or undefined. */
export function normaliseHashtag(input: string): string | undefined {
  const tag = input.normalize("NFC").replace(/^#/, "");
  return TAG.test(tag) ? tag.toLowerCase() : undefined;
}

/** A username as a client writes it (`@Alice`) → the form mentionsOf gives, or undefined. */
export function normaliseMention(input: string): string | undefined {
  const name = input.replace(/^@/, "").toLowerCase();
  return USERNAME.test(name) ? name : undefined;
}

/** Whether text can be stored and sent as UTF-8: no NUL, no lone UTF-16 surrogate. */
export function isStorableText(text: string): boolean {
  return !LONE_SURROGATE.test(text) && !text.includes("\u0000");
}

/** Length as a person counts it: Unicode code points, so an emoji is one character. */
export function characterCount(text: string): number {
  let count = 0;
  for (const _ of text) count++;
  return count;
}
