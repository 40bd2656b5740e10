import { mkdtemp, readdir, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { isDomainError } from "@instagram/kit";
import sharp from "sharp";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { ImageProcessor, ReceivedImage } from "./image-processor.ts";
import { createSharpProcessor } from "./sharp-processor.ts";
import {
  animatedGif,
  endlessStream,
  orientedJpegWithGps,
  photoJpeg,
  pngClaiming,
  readAll,
  solid,
  streamOf,
} from "./test-images.ts";

const MiB = 1024 * 1024;
let dir: string;
let processor: ImageProcessor;
let counter = 0;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "image-processing-"));
  processor = createSharpProcessor({
    scratchPath: (suffix) => join(dir, `${counter++}.${suffix}`),
    maxInputPixels: 100_000_000,
    renderConcurrency: 2,
  });
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function receive(bytes: Uint8Array, maxBytes = 20 * MiB): Promise<ReceivedImage> {
  return processor.receive(streamOf(bytes), { maxBytes });
}

/** The reason of the refusal (see domain/errors.ts), or the error itself. */
async function refusal(run: () => Promise<unknown>): Promise<string> {
  try {
    await run();
  } catch (error) {
    return isDomainError(error) ? error.reason : String(error);
  }
  return "accepted";
}

describe("sharp processor", () => {
  it("auto-orients a JPEG and strips EXIF including GPS", async () => {
    const input = await orientedJpegWithGps(80, 40);
    const before = await sharp(input).metadata();
    expect(before.orientation).toBe(6);
    expect(before.exif?.includes(Buffer.from([0x25, 0x88]))).toBe(true); // GPS IFD pointer tag 0x8825 (LE)

    const image = await receive(input);
    expect({ format: image.format, width: image.width, height: image.height }).toEqual({
      format: "jpeg",
      width: 40,
      height: 80,
    });
    const original = await readAll(image.render("original"));
    const after = await sharp(original).metadata();
    expect(after.exif).toBeUndefined();
    expect(after.orientation).toBeUndefined();
    expect(original.includes(Buffer.from("SpyCam"))).toBe(false);
    expect([after.width, after.height]).toEqual([40, 80]);
    // red (the left half before rotating) is now on top
    const { data } = await sharp(original).raw().toBuffer({ resolveWithObject: true });
    expect(data[0]).toBeGreaterThan(200);
    expect(data[2]).toBeLessThan(60);
    const lastPixel = data.length - 3;
    expect(data[lastPixel]).toBeLessThan(60);
    expect(data[lastPixel + 2]).toBeGreaterThan(200);
    await image.discard();
  });

  it.each([
    ["png", "image/png"],
    ["webp", "image/webp"],
    ["gif", "image/gif"],
  ] as const)("keeps %s as %s with a thumbnail at most 320 px on its longer side", async (format, type) => {
    const image = await receive(await solid(format, 1000, 400));
    expect([image.contentType, image.width, image.height]).toEqual([type, 1000, 400]);
    const thumbnail = await sharp(await readAll(image.render("thumbnail"))).metadata();
    expect([thumbnail.format, thumbnail.width, thumbnail.height]).toEqual([format, 320, 128]);
    const original = await sharp(await readAll(image.render("original"))).metadata();
    expect([original.format, original.width, original.height]).toEqual([format, 1000, 400]);
    await image.discard();
  });

  it("scales a portrait JPEG's thumbnail by its height and never enlarges a small image", async () => {
    const tall = await receive(await photoJpeg(600, 1200));
    expect(await sharp(await readAll(tall.render("thumbnail"))).metadata()).toMatchObject({
      width: 160,
      height: 320,
    });
    const small = await receive(await photoJpeg(100, 50));
    expect(await sharp(await readAll(small.render("thumbnail"))).metadata()).toMatchObject({
      width: 100,
      height: 50,
    });
    await Promise.all([tall.discard(), small.discard()]);
  });

  it("renders every upload of a burst when renditions wait their turn (one at a time)", async () => {
    const serial = createSharpProcessor({
      scratchPath: (suffix) => join(dir, `${counter++}.${suffix}`),
      maxInputPixels: 100_000_000,
      renderConcurrency: 1,
    });
    const sizes = [
      [120, 80],
      [80, 120],
      [300, 200],
      [64, 64],
    ] as const;
    const received = await Promise.all(
      sizes.map(async ([width, height]) =>
        serial.receive(streamOf(await photoJpeg(width, height)), { maxBytes: 20 * MiB }),
      ),
    );
    // Read in reverse: a later upload's rendition is not stuck behind an earlier one's reader.
    for (const [index, image] of [...received.entries()].reverse()) {
      const original = await sharp(await readAll(image.render("original"))).metadata();
      const thumbnail = await sharp(await readAll(image.render("thumbnail"))).metadata();
      expect([original.width, original.height]).toEqual(sizes[index]);
      expect(thumbnail.format).toBe("jpeg");
      await image.discard();
    }
  });

  it("keeps the first frame of an animated GIF", async () => {
    const image = await receive(await animatedGif(40, 30));
    expect([image.width, image.height]).toEqual([40, 30]);
    const original = await sharp(await readAll(image.render("original")), { pages: -1 }).metadata();
    expect([original.pages ?? 1, original.width, original.height]).toEqual([1, 40, 30]);
    await image.discard();
  });

  it("refuses an empty file", async () => {
    expect(await refusal(() => receive(new Uint8Array()))).toBe("empty-upload");
  });

  it("refuses a text file named .jpg by its bytes", async () => {
    expect(await refusal(() => receive(new TextEncoder().encode("just some text, honest, a .jpg")))).toBe(
      "unsupported-type",
    );
  });

  it("refuses a truncated JPEG when rendering it", async () => {
    const whole = await photoJpeg(400, 300);
    const image = await receive(whole.subarray(0, Math.floor(whole.length / 2)));
    expect(await refusal(() => readAll(image.render("original")))).toBe("undecodable-image");
    await image.discard();
  });

  it("refuses a JPEG whose header is cut off", async () => {
    const whole = await photoJpeg(400, 300);
    expect(await refusal(() => receive(whole.subarray(0, 40)))).toBe("undecodable-image");
  });

  it("refuses a PNG claiming 100000×100000 from its header, quickly and without allocating", async () => {
    const rssBefore = process.memoryUsage().rss;
    const started = performance.now();
    expect(await refusal(() => receive(pngClaiming(100_000, 100_000)))).toBe("too-many-pixels");
    expect(performance.now() - started).toBeLessThan(1000);
    expect(process.memoryUsage().rss - rssBefore).toBeLessThan(200 * MiB);
  });

  it("refuses a body over the limit while streaming, without reading the rest", async () => {
    const head = (await photoJpeg(16, 16)).subarray(0, 64);
    const body = endlessStream(head);
    const limit = 2 * MiB;
    expect(await processor.receive(body.stream, { maxBytes: limit }).catch((error) => error.reason)).toBe(
      "upload-too-large",
    );
    expect(body.sent()).toBeLessThan(limit + 256 * 1024);
  });

  it("refuses a non-image body as soon as its first bytes are read", async () => {
    const body = endlessStream(new TextEncoder().encode("GET / HTTP/1.1\r\n"));
    expect(await processor.receive(body.stream, { maxBytes: 20 * MiB }).catch((error) => error.reason)).toBe(
      "unsupported-type",
    );
    expect(body.sent()).toBeLessThanOrEqual(2 * 64 * 1024); // the chunk read plus one queued ahead
  });

  it("leaves no spool file behind", async () => {
    const image = await receive(await photoJpeg(50, 50));
    await image.discard();
    await receive(new Uint8Array()).catch(() => {});
    expect(await readdir(dir)).toEqual([]);
  });
});
