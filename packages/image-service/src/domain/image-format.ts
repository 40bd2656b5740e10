/** The formats accepted, decided from the bytes alone (never the declared MIME type or file name). */
export type ImageFormat = "jpeg" | "png" | "webp" | "gif";

const contentTypes: Record<ImageFormat, string> = {
  jpeg: "image/jpeg",
  png: "image/png",
  webp: "image/webp",
  gif: "image/gif",
};

/** How many leading bytes `sniffFormat` needs. */
export const SNIFF_BYTES = 12;

const startsWith = (bytes: Uint8Array, prefix: readonly number[], at = 0): boolean =>
  bytes.length >= at + prefix.length && prefix.every((byte, i) => bytes[at + i] === byte);

const ascii = (text: string): number[] => [...text].map((char) => char.charCodeAt(0));

/** The format by its magic bytes, or undefined for anything else (text, SVG, TIFF, HEIC, …). */
export function sniffFormat(head: Uint8Array): ImageFormat | undefined {
  if (startsWith(head, [0xff, 0xd8, 0xff])) return "jpeg";
  if (startsWith(head, [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])) return "png";
  if (startsWith(head, ascii("GIF87a")) || startsWith(head, ascii("GIF89a"))) return "gif";
  if (startsWith(head, ascii("RIFF")) && startsWith(head, ascii("WEBP"), 8)) return "webp";
  return undefined;
}

export function contentTypeOf(format: ImageFormat): string {
  return contentTypes[format];
}
