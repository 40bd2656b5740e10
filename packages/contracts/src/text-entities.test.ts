import { describe, expect, it } from "vitest";
import {
  characterCount,
  hashtagsOf,
  isStorableText,
  mentionsOf,
  normaliseHashtag,
  normaliseMention,
} from "./text-entities.ts";

describe("hashtagsOf", () => {
  it("lower-cases and de-duplicates, keeping first-seen order", () => {
    expect(hashtagsOf("#Sunset over the #sea #SUNSET #sea")).toEqual(["sunset", "sea"]);
  });

  it("reads letters and digits of any script, and underscores", () => {
    expect(hashtagsOf("#日本 #Ünïcödé #café_2024 #Москва #١٢٣ #Été #été")).toEqual([
      "日本",
      "ünïcödé",
      "café_2024",
      "москва",
      "١٢٣",
      "été",
    ]);
  });

  it("normalises decomposed accents before matching", () => {
    expect(hashtagsOf("#cafe\u0301")).toEqual(["café"]);
  });

  it("stops at punctuation and ignores a bare #", () => {
    expect(hashtagsOf("#a-b #c! # # #- #!")).toEqual(["a", "c"]);
  });

  it("needs a word boundary before the #", () => {
    expect(hashtagsOf("issue#12 a#b mail#tag #ok")).toEqual(["ok"]);
  });

  it("takes 100 characters and refuses a longer run instead of truncating it", () => {
    const hundred = "a".repeat(100);
    expect(hashtagsOf(`#${hundred}`)).toEqual([hundred]);
    expect(hashtagsOf(`#${hundred}b`)).toEqual([]);
  });
});

describe("mentionsOf", () => {
  it("reads usernames, lower-cased and unique", () => {
    expect(mentionsOf("with @Alice and @bob.smith and @alice, cc @al_1")).toEqual([
      "alice",
      "bob.smith",
      "al_1",
    ]);
  });

  it("leaves a sentence's full stop out of the name", () => {
    expect(mentionsOf("thanks @carol. and @Bob.Smith.")).toEqual(["carol", "bob.smith"]);
  });

  it("ignores e-mail addresses, too short and too long names", () => {
    expect(mentionsOf(`mail me@example.com @ab @abc @${"x".repeat(31)}`)).toEqual(["abc"]);
    expect(mentionsOf(`@${"x".repeat(30)}`)).toEqual(["x".repeat(30)]);
  });
});

describe("normaliseHashtag / normaliseMention", () => {
  it("accept a leading # or @ and give the parsed form", () => {
    expect(normaliseHashtag("#SunSet")).toBe("sunset");
    expect(normaliseHashtag("Cafe\u0301")).toBe("café");
    expect(normaliseMention("@Alice.B")).toBe("alice.b");
    expect(normaliseMention("bob")).toBe("bob");
  });

  it("refuse what no text could contain", () => {
    for (const tag of ["two words", "", "#", "a".repeat(101), "a-b"])
      expect(normaliseHashtag(tag)).toBeUndefined();
    for (const name of ["no", "@", "x".repeat(31), "with space", "émile"])
      expect(normaliseMention(name)).toBeUndefined();
  });
});

describe("isStorableText / characterCount", () => {
  it("refuse NUL and lone surrogates, accept paired ones", () => {
    expect(isStorableText("ok 😀")).toBe(true);
    for (const bad of ["a\u0000b", "a\uD800b", "\uDE00", "broken \uD83D here"])
      expect(isStorableText(bad)).toBe(false);
  });

  it("count code points, not UTF-16 units", () => {
    expect(characterCount("😀😀x")).toBe(3);
    expect(characterCount("")).toBe(0);
  });
});
