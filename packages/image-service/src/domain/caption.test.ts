import { describe, expect, it } from "vitest";
import {
  hashtagsOf,
  MAX_CAPTION_CHARS,
  mentionsOf,
  normaliseTag,
  normaliseUsername,
  readCaption,
} from "./caption.ts";
import { isImageError } from "./errors.ts";

describe("hashtagsOf", () => {
  it("lower-cases and de-duplicates, keeping first-seen order", () => {
    expect(hashtagsOf("#Sunset over the #sea #SUNSET #sea")).toEqual(["sunset", "sea"]);
  });

  it("reads letters and digits of any script, and underscores", () => {
    expect(hashtagsOf("#日本 #Ünïcödé #café_2024 #Москва #١٢٣")).toEqual([
      "日本",
      "ünïcödé",
      "café_2024",
      "москва",
      "١٢٣",
    ]);
  });

  it("normalises decomposed accents before matching", () => {
    expect(hashtagsOf("#cafe\u0301")).toEqual(["café"]);
  });

  it("stops at punctuation and ignores a bare #", () => {
    expect(hashtagsOf("#a-b #c! # #")).toEqual(["a", "c"]);
  });

  it("needs a word boundary before the #", () => {
    expect(hashtagsOf("issue#12 a#b")).toEqual([]);
  });

  it("takes 100 characters and refuses a longer run instead of truncating it", () => {
    const hundred = "a".repeat(100);
    expect(hashtagsOf(`#${hundred}`)).toEqual([hundred]);
    expect(hashtagsOf(`#${hundred}b`)).toEqual([]);
  });
});

describe("mentionsOf", () => {
  it("reads usernames, lower-cased and unique", () => {
    expect(mentionsOf("with @Alice and @bob.smith and @alice")).toEqual(["alice", "bob.smith"]);
  });

  it("leaves a sentence's full stop out of the name", () => {
    expect(mentionsOf("thanks @carol.")).toEqual(["carol"]);
  });

  it("ignores e-mail addresses, too short and too long names", () => {
    expect(mentionsOf(`mail me@example.com @ab @${"x".repeat(31)}`)).toEqual([]);
  });
});

describe("readCaption", () => {
  it("parses tags and mentions server-side", () => {
    expect(readCaption("Hi @Dave #Fun")).toEqual({
      caption: "Hi @Dave #Fun",
      hashtags: ["fun"],
      mentions: ["dave"],
    });
  });

  it("treats a missing caption as empty", () => {
    expect(readCaption(undefined)).toEqual({ caption: "", hashtags: [], mentions: [] });
  });

  it("counts characters, not UTF-16 units, against the 2200 limit", () => {
    expect(readCaption("😀".repeat(MAX_CAPTION_CHARS)).caption).toHaveLength(MAX_CAPTION_CHARS * 2);
    expect(() => readCaption("x".repeat(MAX_CAPTION_CHARS + 1))).toThrowError(
      expect.objectContaining({ kind: "caption-too-long" }),
    );
  });

  it("refuses NUL and lone surrogates (not storable text)", () => {
    for (const bad of ["a\u0000b", "a\uD800b"]) {
      let caught: unknown;
      try {
        readCaption(bad);
      } catch (error) {
        caught = error;
      }
      expect(isImageError(caught, "invalid-input")).toBe(true);
    }
  });
});

describe("normaliseTag / normaliseUsername", () => {
  it("accepts a leading # or @ and lower-cases", () => {
    expect(normaliseTag("#SunSet")).toBe("sunset");
    expect(normaliseUsername("@Alice.B")).toBe("alice.b");
  });

  it("refuses what could never be stored", () => {
    expect(() => normaliseTag("two words")).toThrowError(expect.objectContaining({ kind: "invalid-input" }));
    expect(() => normaliseTag("")).toThrowError(expect.objectContaining({ kind: "invalid-input" }));
    expect(() => normaliseUsername("no")).toThrowError(expect.objectContaining({ kind: "invalid-input" }));
  });
});
