import { characterCount, hashtagsOf, isStorableText, mentionsOf } from "@instagram/contracts/text-entities";
import { type DomainError, invalidField } from "@instagram/kit";

export const MAX_COMMENT_CHARS = 1000;

/** What the server reads out of a comment's text; hashtags and mentions are never taken from the client. */
export interface CommentText {
  text: string;
  hashtags: string[];
  mentions: string[];
}

/**
 * Checks a comment (1–1000 characters once trimmed, no NUL, well-formed text) and reads its
 * hashtags and mentions (the contract's rules, as for captions). Characters are Unicode code
 * points, as a person counts them.
 */
export function readCommentText(raw: string): CommentText {
  if (!isStorableText(raw)) throw invalidText("must be valid text");
  const text = raw.normalize("NFC").trim();
  if (text === "") throw invalidText("must not be empty");
  if (characterCount(text) > MAX_COMMENT_CHARS) {
    throw invalidText(`must be at most ${MAX_COMMENT_CHARS} characters`);
  }
  return { text, hashtags: hashtagsOf(text), mentions: mentionsOf(text) };
}

function invalidText(message: string): DomainError {
  return invalidField("text", message);
}
