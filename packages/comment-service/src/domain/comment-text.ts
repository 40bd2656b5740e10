import { CommentError } from "./errors.ts";

export const MAX_COMMENT_CHARS = 1000;

/** What the server reads out of a comment's text; hashtags and mentions are never taken from the client. */
export interface CommentText {
  text: string;
  hashtags: string[];
  mentions: string[];
}

// The same rules as image captions: a tag or mention starts at a word boundary and must not run
// on past its maximum length (a 101-character run is no hashtag, not a truncated one).
const HASHTAG = /(?<![\p{L}\p{N}_])#([\p{L}\p{N}_]{1,100})(?![\p{L}\p{N}_])/gu;
const MENTION = /(?<![\p{L}\p{N}_.@])@([A-Za-z0-9._]{3,30})(?![A-Za-z0-9._])/gu;
const USERNAME = /^[a-z0-9._]{3,30}$/;
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/**
 * Checks a comment (1–1000 characters once trimmed, no NUL, well-formed text) and reads its
 * hashtags and mentions. Characters are Unicode code points, as a person counts them.
 */
export function readCommentText(raw: string): CommentText {
  if (LONE_SURROGATE.test(raw) || raw.includes("\u0000")) throw invalidText("must be valid text");
  const text = raw.normalize("NFC").trim();
  if (text === "") throw invalidText("must not be empty");
  if (countCharacters(text) > MAX_COMMENT_CHARS) {
    throw invalidText(`must be at most ${MAX_COMMENT_CHARS} characters`);
  }
  return { text, hashtags: hashtagsOf(text), mentions: mentionsOf(text) };
}

/** `#Tag` → "tag": lower-cased, unique, in order of first appearance. */
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

function countCharacters(text: string): number {
  let count = 0;
  for (const _ of text) count++;
  return count;
}

function invalidText(message: string): CommentError {
  return new CommentError("invalid-input", `text: ${message}`, [{ path: "text", message }]);
}
