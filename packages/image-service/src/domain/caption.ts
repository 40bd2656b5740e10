import {
  characterCount,
  hashtagsOf,
  isStorableText,
  mentionsOf,
  normaliseHashtag,
  normaliseMention,
} from "@instagram/contracts/text-entities";
import { badRequest, captionTooLong } from "./errors.ts";

export const MAX_CAPTION_CHARS = 2200;

/** What the server reads out of a caption; never taken from the client. */
export interface CaptionFacts {
  caption: string;
  hashtags: string[];
  mentions: string[];
}

/**
 * Checks a caption (≤ 2200 characters, no NUL, well-formed text) and extracts its hashtags and
 * mentions by the contract's rules.
 */
export function readCaption(raw: string | undefined): CaptionFacts {
  const caption = (raw ?? "").normalize("NFC");
  if (!isStorableText(caption)) throw badRequest("the caption is not valid text");
  if (characterCount(caption) > MAX_CAPTION_CHARS) {
    throw captionTooLong(MAX_CAPTION_CHARS);
  }
  return { caption, hashtags: hashtagsOf(caption), mentions: mentionsOf(caption) };
}

/** A tag as a client asks for it (`Sunset`, `#sunset`) → the stored form, or invalid-input. */
export function normaliseTag(input: string): string {
  const tag = normaliseHashtag(input);
  if (tag === undefined) throw badRequest("a tag is 1–100 letters, digits or underscores");
  return tag;
}

/** A username as a client writes it (`@Alice`) → the stored form, or invalid-input. */
export function normaliseUsername(input: string): string {
  const name = normaliseMention(input);
  if (name === undefined) throw badRequest("a username is 3–30 of a-z 0-9 . _");
  return name;
}
