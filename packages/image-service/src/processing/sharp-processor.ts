import { open, rm } from "node:fs/promises";
import { DomainError } from "@instagram/kit";
import pLimit from "p-limit";
import sharp, { type Sharp, type SharpOptions } from "sharp";
import { ScratchFile } from "../blobs/scratch-file.ts";
import {
  emptyUpload,
  tooManyPixels,
  undecodableImage,
  unsupportedType,
  uploadTooLarge,
} from "../domain/errors.ts";
import { contentTypeOf, type ImageFormat, SNIFF_BYTES, sniffFormat } from "../domain/image-format.ts";
import { type Rendition, renditions, THUMBNAIL_MAX_EDGE } from "../domain/renditions.ts";
import type { ImageProcessor, ReceivedImage } from "./image-processor.ts";

export interface SharpProcessorOptions {
  /** Where uploads are spooled (same filesystem as the blob store's scratch space). */
  scratchPath: (suffix: string) => string;
  /** Largest width × height decoded; checked from the header before any pixel is allocated. */
  maxInputPixels: number;
  /** Renditions rendered at once, across uploads; the others wait their turn. */
  renderConcurrency: number;
}

/**
 * Decisions:
 * - Every accepted format is re-encoded in the same format (so `contentType` names both files).
 *   Re-encoding drops every piece of metadata (EXIF incl. GPS, XMP, IPTC, comments): sharp keeps
 *   none unless asked, and we never ask.
 * - Animated GIF/WebP: only the first frame is kept (a still image). Decoding every frame would
 *   multiply the pixel budget by the frame count, and the product shows photos.
 * - failOn "warning" (sharp's advice for untrusted input): a truncated or damaged file is refused.
 * - Renditions are rendered from the spooled file to scratch files as soon as the header passed,
 *   before the upload's claim exists: nothing reaches a blob key until the store moves it there.
 */
export function createSharpProcessor(opts: SharpProcessorOptions): ImageProcessor {
  // libvips holds a rendition's working memory for as long as it runs: a burst of uploads
  // rendered all at once is a burst of memory, and no faster than the cores allow.
  const rendering = pLimit(opts.renderConcurrency);
  return {
    async receive(body, { maxBytes }) {
      const path = opts.scratchPath("upload");
      try {
        const { size, format } = await spool(body, path, maxBytes);
        const input: SharpOptions = {
          limitInputPixels: opts.maxInputPixels,
          failOn: "warning",
          autoOrient: true,
          pages: 1,
          sequentialRead: true,
        };
        const { width, height } = await inspect(path, format, input, opts.maxInputPixels);
        // Both renditions start now, side by side, each straight to a scratch file: sharp's work
        // overlaps the claim's commit and itself, and FileBlobStore moves the files into place.
        const rendered = renditions.map((rendition) => {
          const out = opts.scratchPath(rendition);
          const written = rendering(() => encode(sharp(path, input), format, rendition).toFile(out)).then(
            () => out,
            async (error: unknown) => {
              await rm(out, { force: true });
              throw decodeFailure(error, opts.maxInputPixels);
            },
          );
          written.catch(() => {}); // seen by render() or discard()
          return { rendition, out, written };
        });
        return {
          format,
          contentType: contentTypeOf(format),
          width,
          height,
          receivedBytes: size,
          render: (rendition) => {
            const render = rendered.find((each) => each.rendition === rendition);
            if (render === undefined) throw new Error(`no rendition ${rendition}`);
            return new ScratchFile(render.written);
          },
          async discard() {
            await Promise.allSettled(rendered.map((each) => each.written));
            await Promise.all(
              [path, ...rendered.map((each) => each.out)].map((file) => rm(file, { force: true })),
            );
          },
        } satisfies ReceivedImage;
      } catch (error) {
        await rm(path, { force: true });
        throw error;
      }
    },
  };
}

const SPOOL_BATCH_BYTES = 512 * 1024;

/** Copies the body to `path`, counting bytes; decides the format from the first bytes. */
async function spool(
  body: ReadableStream<Uint8Array>,
  path: string,
  maxBytes: number,
): Promise<{ size: number; format: ImageFormat }> {
  const reader = body.getReader();
  const file = await open(path, "wx");
  let size = 0;
  let head: Uint8Array = new Uint8Array(0);
  let format: ImageFormat | undefined;
  // Chunks go to the file in batches (one writev each), the next batch gathering while the last
  // is written: fewer trips to the thread pool, at most two batches in memory.
  let batch: Uint8Array[] = [];
  let batchBytes = 0;
  let writing: Promise<unknown> = Promise.resolve();
  const writeBatch = async (): Promise<void> => {
    await writing;
    const chunks = batch;
    batch = [];
    batchBytes = 0;
    writing = file.writev(chunks);
    writing.catch(() => {}); // awaited below; a failure must not go unhandled meanwhile
  };
  try {
    for (let next = await reader.read(); !next.done; next = await reader.read()) {
      const chunk = next.value;
      size += chunk.byteLength;
      if (size > maxBytes) throw uploadTooLarge(maxBytes);
      if (format === undefined && head.length < SNIFF_BYTES) {
        head = concat(head, chunk.subarray(0, SNIFF_BYTES - head.length));
        if (head.length >= SNIFF_BYTES) format = sniffOrRefuse(head);
      }
      batch.push(chunk);
      batchBytes += chunk.byteLength;
      if (batchBytes >= SPOOL_BATCH_BYTES) await writeBatch();
    }
    if (batch.length > 0) await writeBatch();
    await writing;
  } catch (error) {
    await reader.cancel().catch(() => {});
    throw error;
  } finally {
    await writing.catch(() => {});
    await file.close();
  }
  if (size === 0) throw emptyUpload();
  return { size, format: format ?? sniffOrRefuse(head) };
}

function sniffOrRefuse(head: Uint8Array): ImageFormat {
  const format = sniffFormat(head);
  if (format === undefined) throw unsupportedType();
  return format;
}

async function inspect(
  path: string,
  format: ImageFormat,
  input: SharpOptions,
  maxPixels: number,
): Promise<{ width: number; height: number }> {
  const metadata = await sharp(path, input)
    .metadata()
    .catch((error: unknown) => {
      throw decodeFailure(error, maxPixels);
    });
  if (metadata.format !== format) throw undecodableImage();
  const { width, height } = metadata.autoOrient;
  if (!(width > 0 && height > 0)) throw undecodableImage();
  if (width * height > maxPixels) throw tooManyPixels(maxPixels);
  return { width, height };
}

function encode(pipeline: Sharp, format: ImageFormat, rendition: Rendition): Sharp {
  const thumbnail = rendition === "thumbnail";
  const resized = thumbnail
    ? pipeline.resize({
        width: THUMBNAIL_MAX_EDGE,
        height: THUMBNAIL_MAX_EDGE,
        fit: "inside",
        withoutEnlargement: true,
      })
    : pipeline;
  switch (format) {
    case "jpeg":
      return resized.jpeg({ quality: thumbnail ? 80 : 90 });
    case "png":
      return resized.png({ compressionLevel: 6 });
    case "webp":
      return resized.webp({ quality: thumbnail ? 80 : 90 });
    case "gif":
      return resized.gif();
  }
}

/**
 * libvips' complaints about the input are the client's fault (4xx); system errors (no space, too
 * many open files — they carry an errno `code`) stay as they are and end up a 500.
 */
function decodeFailure(error: unknown, maxPixels: number): unknown {
  if (error instanceof DomainError) return error;
  if (typeof error === "object" && error !== null && "code" in error) return error;
  const message = error instanceof Error ? error.message : String(error);
  if (/exceeds pixel limit/i.test(message)) return tooManyPixels(maxPixels);
  return undecodableImage();
}

function concat(a: Uint8Array, b: Uint8Array): Uint8Array {
  const joined = new Uint8Array(a.length + b.length);
  joined.set(a);
  joined.set(b, a.length);
  return joined;
}
