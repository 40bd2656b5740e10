import { type FieldError, isDomainError } from "@instagram/kit";
import { describe, expect, it } from "vitest";
import { BIO_MAX, DISPLAY_NAME_MAX, parseProfileEdit } from "./profile-edit.ts";

function fieldErrors(run: () => unknown): readonly FieldError[] {
  try {
    run();
  } catch (error) {
    if (isDomainError(error, "invalid-input")) return error.fieldErrors;
    throw error;
  }
  throw new Error("expected an invalid-input DomainError");
}

describe("parseProfileEdit", () => {
  it("keeps absent fields absent and trims present ones", () => {
    expect(parseProfileEdit({})).toEqual({});
    expect(parseProfileEdit({ displayName: "  Ada Lovelace " })).toEqual({ displayName: "Ada Lovelace" });
    expect(parseProfileEdit({ bio: "" })).toEqual({ bio: "" });
  });

  it("counts characters as code points, so emoji count once", () => {
    const emoji = "😀".repeat(BIO_MAX);
    expect(parseProfileEdit({ bio: emoji }).bio).toBe(emoji);
    expect(fieldErrors(() => parseProfileEdit({ bio: `${emoji}x` }))[0]?.path).toBe("bio");
  });

  it("enforces the display name limit", () => {
    expect(parseProfileEdit({ displayName: "n".repeat(DISPLAY_NAME_MAX) }).displayName).toHaveLength(64);
    expect(fieldErrors(() => parseProfileEdit({ displayName: "n".repeat(DISPLAY_NAME_MAX + 1) }))).toEqual([
      { path: "displayName", message: `must be at most ${DISPLAY_NAME_MAX} characters` },
    ]);
  });

  it("allows line breaks in a bio but not in a display name", () => {
    expect(parseProfileEdit({ bio: "line one\r\nline two" }).bio).toBe("line one\nline two");
    expect(fieldErrors(() => parseProfileEdit({ displayName: "two\nlines" }))[0]?.path).toBe("displayName");
    expect(fieldErrors(() => parseProfileEdit({ bio: "bell\u0007" }))[0]?.path).toBe("bio");
  });

  it("reports every bad field at once", () => {
    const errors = fieldErrors(() => parseProfileEdit({ displayName: "x".repeat(65), bio: "y".repeat(151) }));
    expect(errors.map((e) => e.path)).toEqual(["displayName", "bio"]);
  });
});
