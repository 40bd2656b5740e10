import { describe, expect, it } from "vitest";
import { hashtagsOf, MAX_COMMENT_CHARS, mentionsOf, readCommentText } from "./comment-text.ts";
import { CommentError } from "./errors.ts";

function problemsOf(run: () => unknown): unknown {
  try {
    run();
  } catch (error) {
    if (error instanceof CommentError) return { kind: error.kind, problems: error.problems };
    throw error;
  }
  throw new Error("expected a CommentError");
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

describe("hashtagsOf", () => {
  it("lower-cases, de-duplicates and keeps first-appearance order, letters of any script", () => {
    expect(hashtagsOf("#Été #été #東京 #foo_1 #FOO_1")).toEqual(["été", "東京", "foo_1"]);
  });

  it("needs a word boundary before # and takes no run longer than 100", () => {
    expect(hashtagsOf("mail#tag #ok")).toEqual(["ok"]);
    expect(hashtagsOf(`#${"a".repeat(100)}`)).toEqual(["a".repeat(100)]);
    expect(hashtagsOf(`#${"a".repeat(101)}`)).toEqual([]);
    expect(hashtagsOf("# #- #!")).toEqual([]);
  });
});

describe("mentionsOf", () => {
  it("reads usernames, lower-cased and unique; a trailing full stop ends the sentence", () => {
    expect(mentionsOf("thanks @Bob.Smith and @bob.smith. cc @al_1")).toEqual(["bob.smith", "al_1"]);
  });

  it("ignores e-mail addresses, too-short and too-long names", () => {
    expect(mentionsOf("me@example.com @ab @abc")).toEqual(["abc"]);
    expect(mentionsOf(`@${"x".repeat(31)}`)).toEqual([]);
    expect(mentionsOf(`@${"x".repeat(30)}`)).toEqual(["x".repeat(30)]);
  });
});
