import { isDomainError } from "@instagram/kit";
import { describe, expect, it } from "vitest";
import { MAX_COMMENT_CHARS, readCommentText } from "./comment-text.ts";

function problemsOf(run: () => unknown): unknown {
  try {
    run();
  } catch (error) {
    if (isDomainError(error)) return { kind: error.kind, problems: error.fieldErrors };
    throw error;
  }
  throw new Error("expected a DomainError");
}

describe("readCommentText", () => {
  it("keeps the trimmed text and reads its hashtags and mentions", () => {
    expect(readCommentText("  Nice shot @Alice! #Sunset #sunset #beach  ")).toEqual({
      text: "Nice shot @Alice! #Sunset #sunset #beach",
      hashtags: ["sunset", "beach"],
      mentions: ["alice"],
    });
  });

  it("refuses empty and blank text with a field problem on text", () => {
    for (const raw of ["", "   ", "\n\t "]) {
      expect(problemsOf(() => readCommentText(raw))).toEqual({
        kind: "invalid-input",
        problems: [{ path: "text", message: "must not be empty" }],
      });
    }
  });

  it("accepts exactly 1000 characters, counting code points, and refuses 1001", () => {
    expect(readCommentText("x").text).toBe("x");
    expect(readCommentText("a".repeat(MAX_COMMENT_CHARS)).text).toHaveLength(MAX_COMMENT_CHARS);
    const emoji = "😀".repeat(MAX_COMMENT_CHARS); // 2000 UTF-16 units, 1000 characters
    expect(readCommentText(emoji).text).toBe(emoji);
    expect(problemsOf(() => readCommentText("a".repeat(MAX_COMMENT_CHARS + 1)))).toEqual({
      kind: "invalid-input",
      problems: [{ path: "text", message: "must be at most 1000 characters" }],
    });
  });

  it("counts the length after trimming", () => {
    const padded = `   ${"b".repeat(MAX_COMMENT_CHARS)}   `;
    expect(readCommentText(padded).text).toBe("b".repeat(MAX_COMMENT_CHARS));
  });

  it("refuses NUL and lone surrogates (text Postgres or UTF-8 cannot hold)", () => {
    for (const raw of ["a\u0000b", "broken \uD83D here", "\uDE00"]) {
      expect(problemsOf(() => readCommentText(raw))).toEqual({
        kind: "invalid-input",
        problems: [{ path: "text", message: "must be valid text" }],
      });
    }
  });
});
