import { ImageError } from "./errors.ts";

export const MAX_CAPTION_CHARS = 2200;

/** What the server reads out of a caption; never taken from the client. */
export interface CaptionFacts {
  caption: string;
  hashtags: string[];
  mentions: string[];
}

// A tag or mention starts at a word boundary and must not run on past its maximum length
// (a 101-character run is no hashtag, not a truncated one).
const HASHTAG = /(?<![\p{L}\p{N}_])#([\p{L}\p{N}_]{1,100})(?![\p{L}\p{N}_])/gu;
const MENTION = /(?<![\p{L}\p{N}_.@])@([A-Za-z0-9._]{3,30})(?![A-Za-z0-9._])/gu;
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;
const TAG = /^[\p{L}\p{N}_]{1,100}$/u;
const USERNAME = /^[a-z0-9._]{3,30}$/;

/** Checks a caption (≤ 2200 characters, no NUL, well-formed text) and extracts its hashtags and mentions. */
export function readCaption(raw: string | undefined): CaptionFacts {
  const caption = (raw ?? "").normalize("NFC");
  if (LONE_SURROGATE.test(caption) || caption.includes("\u0000")) {
    throw new ImageError("invalid-input", "the caption is not valid text");
  }
  if (countCharacters(caption) > MAX_CAPTION_CHARS) {
    throw new ImageError("caption-too-long", `the caption is longer than ${MAX_CAPTION_CHARS} characters`);
  }
  return { caption, hashtags: hashtagsOf(caption), mentions: mentionsOf(caption) };
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

/** A tag as a client asks for it (`Sunset`, `#sunset`) → the stored form, or invalid-input. */
export function normaliseTag(input: string): string {
  const tag = input.normalize("NFC").replace(/^#/, "");
  if (!TAG.test(tag)) throw new ImageError("invalid-input", "a tag is 1–100 letters, digits or underscores");
  return tag.toLowerCase();
}

/** A username as a client writes it (`@Alice`) → the stored form, or invalid-input. */
export function normaliseUsername(input: string): string {
  const name = input.replace(/^@/, "").toLowerCase();
  if (!USERNAME.test(name)) throw new ImageError("invalid-input", "a username is 3–30 of a-z 0-9 . _");
  return name;
}

export function isUsername(input: string): boolean {
  return USERNAME.test(input.replace(/^@/, "").toLowerCase());
}

function countCharacters(text: string): number {
  let count = 0;
  for (const _ of text) count++;
  return count;
}
