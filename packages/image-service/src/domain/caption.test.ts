import { isDomainError } from "@instagram/kit";
import { describe, expect, it } from "vitest";
import { MAX_CAPTION_CHARS, normaliseTag, normaliseUsername, readCaption } from "./caption.ts";

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
      expect.objectContaining({ reason: "caption-too-long" }),
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
      expect(isDomainError(caught, "invalid-input")).toBe(true);
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
