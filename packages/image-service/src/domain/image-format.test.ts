import { describe, expect, it } from "vitest";
import { contentTypeOf, sniffFormat } from "./image-format.ts";

const bytes = (...parts: (string | number[])[]): Uint8Array =>
  new Uint8Array(
    parts.flatMap((part) => (typeof part === "string" ? [...part].map((c) => c.charCodeAt(0)) : part)),
  );

describe("sniffFormat", () => {
  it("knows the four accepted formats by their magic bytes", () => {
    expect(sniffFormat(bytes([0xff, 0xd8, 0xff, 0xe0], "JFIF\0\0\0\0"))).toBe("jpeg");
    expect(sniffFormat(bytes([0x89], "PNG\r\n\x1a\n", [0, 0, 0, 13]))).toBe("png");
    expect(sniffFormat(bytes("GIF89a", [1, 0, 1, 0, 0, 0]))).toBe("gif");
    expect(sniffFormat(bytes("GIF87a", [1, 0, 1, 0, 0, 0]))).toBe("gif");
    expect(sniffFormat(bytes("RIFF", [0, 0, 0, 0], "WEBP"))).toBe("webp");
  });

  it("refuses look-alikes and other formats", () => {
    expect(sniffFormat(bytes("hello, I am a .jpg"))).toBeUndefined();
    expect(sniffFormat(bytes("RIFF", [0, 0, 0, 0], "WAVE"))).toBeUndefined();
    expect(sniffFormat(bytes("<svg xmlns=''>"))).toBeUndefined();
    expect(sniffFormat(bytes("II*\0", [8, 0, 0, 0, 0, 0, 0, 0]))).toBeUndefined(); // TIFF
    expect(sniffFormat(bytes([0, 0, 0, 0x18], "ftypheic"))).toBeUndefined();
    expect(sniffFormat(bytes([0xff, 0xd8]))).toBeUndefined(); // too short to be sure
    expect(sniffFormat(new Uint8Array())).toBeUndefined();
  });

  it("names the content type", () => {
    expect(contentTypeOf("webp")).toBe("image/webp");
  });
});
