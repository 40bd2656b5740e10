import { type FieldError, invalidInput } from "@instagram/kit";

/**
 * Limits, counted in Unicode code points (what a person sees as characters, emoji included):
 * bio 150 as on Instagram; display name 64 — Instagram allows 30, we allow room for long
 * names in scripts that need more characters.
 */
export const DISPLAY_NAME_MAX = 64;
export const BIO_MAX = 150;

export interface ProfileEdit {
  displayName?: string;
  bio?: string;
}

/** Control characters (C0, DEL, C1); a bio may keep line breaks, a display name may not. */
function hasControl(text: string, allowNewline: boolean): boolean {
  for (const char of text) {
    const code = char.codePointAt(0)!;
    if (allowNewline && code === 0x0a) continue;
    if (code <= 0x1f || (code >= 0x7f && code <= 0x9f)) return true;
  }
  return false;
}

function length(text: string): number {
  return [...text].length;
}

/**
 * Validates and normalises a profile edit: a display name is trimmed, a bio is trimmed and its
 * line breaks normalised to "\n". Absent fields stay absent (left unchanged); "" clears.
 */
export function parseProfileEdit(input: {
  displayName?: string | undefined;
  bio?: string | undefined;
}): ProfileEdit {
  const errors: FieldError[] = [];
  const edit: ProfileEdit = {};
  if (input.displayName !== undefined) {
    const displayName = input.displayName.trim();
    if (hasControl(displayName, false))
      errors.push({ path: "displayName", message: "must not contain control characters" });
    else if (length(displayName) > DISPLAY_NAME_MAX) {
      errors.push({ path: "displayName", message: `must be at most ${DISPLAY_NAME_MAX} characters` });
    } else edit.displayName = displayName;
  }
  if (input.bio !== undefined) {
    const bio = input.bio.replace(/\r\n?/g, "\n").trim();
    if (hasControl(bio, true)) errors.push({ path: "bio", message: "must not contain control characters" });
    else if (length(bio) > BIO_MAX)
      errors.push({ path: "bio", message: `must be at most ${BIO_MAX} characters` });
    else edit.bio = bio;
  }
  if (errors.length > 0) throw invalidInput(errors);
  return edit;
}
