import type { ImageFormat } from "../domain/image-format.ts";
import type { Rendition } from "../domain/renditions.ts";

/**
 * Turns an untrusted upload into the files to store. The Node implementation spools to disk and
 * decodes with sharp; the app sees only this interface (no node:* in app code).
 */
export interface ImageProcessor {
  /**
   * Reads the body to scratch space (never whole into memory: a bounded batch at a time), refusing it once past `maxBytes`
   * (upload-too-large) or as soon as its first bytes are not an accepted format (unsupported-type);
   * then checks the header: empty-upload, undecodable-image, too-many-pixels.
   */
  receive(body: ReadableStream<Uint8Array>, opts: { maxBytes: number }): Promise<ReceivedImage>;
}

export interface ReceivedImage {
  readonly format: ImageFormat;
  readonly contentType: string;
  /** Of the normalised (auto-oriented) original. */
  readonly width: number;
  readonly height: number;
  readonly receivedBytes: number;
  /** The re-encoded, metadata-free rendition; a decode failure errors the stream with undecodable-image. */
  render(rendition: Rendition): ReadableStream<Uint8Array>;
  /** Removes the spooled upload and whatever of its renditions the store did not take. */
  discard(): Promise<void>;
}
