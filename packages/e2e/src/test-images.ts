// Images made on the spot with sharp, for uploads.
import { crc32 } from "node:zlib";
import sharp from "sharp";

export type Format = "jpeg" | "png" | "webp" | "gif";

export const contentTypes: Record<Format, string> = {
  jpeg: "image/jpeg",
  png: "image/png",
  webp: "image/webp",
  gif: "image/gif",
};

/** Raw RGB pixels of a pattern that tells rows and columns apart. */
function pattern(width: number, height: number): Buffer {
  const pixels = Buffer.alloc(width * height * 3);
  for (let y = 0; y < height; y += 1) {
    for (let x = 0; x < width; x += 1) {
      const at = (y * width + x) * 3;
      pixels[at] = (x * 7) % 256;
      pixels[at + 1] = (y * 5) % 256;
      pixels[at + 2] = ((x + y) * 3) % 256;
    }
  }
  return pixels;
}

/** A `width`×`height` picture in `format`. */
export function picture(format: Format, width = 640, height = 480): Promise<Buffer> {
  return sharp(pattern(width, height), { raw: { width, height, channels: 3 } })
    .toFormat(format)
    .toBuffer();
}

/** Decoded pixels, as RGBA, with their size: to compare two images pixel by pixel. */
export async function pixelsOf(bytes: Uint8Array): Promise<{ width: number; height: number; data: Buffer }> {
  const { data, info } = await sharp(bytes).ensureAlpha().raw().toBuffer({ resolveWithObject: true });
  return { width: info.width, height: info.height, data };
}

/** A JPEG carrying EXIF with a camera make and a GPS position (Paris). */
export function jpegWithGps(): Promise<Buffer> {
  return sharp(pattern(300, 200), { raw: { width: 300, height: 200, channels: 3 } })
    .jpeg()
    .withExif({
      IFD0: { Make: "E2E Camera", Model: "Test" },
      IFD3: {
        GPSLatitudeRef: "N",
        GPSLatitude: "48/1 51/1 2964/100",
        GPSLongitudeRef: "E",
        GPSLongitude: "2/1 17/1 4020/100",
      },
    })
    .toBuffer();
}

/**
 * A 400×200 JPEG, left half red and right half blue, whose EXIF says "rotate 90° clockwise to
 * display" (orientation 6): shown upright it is 200×400, red on top, blue below.
 */
export async function sidewaysJpeg(): Promise<Buffer> {
  const red = { r: 255, g: 0, b: 0 };
  const blue = { r: 0, g: 0, b: 255 };
  const half = (background: typeof red) =>
    sharp({ create: { width: 200, height: 200, channels: 3, background } })
      .png()
      .toBuffer();
  return sharp({ create: { width: 400, height: 200, channels: 3, background: red } })
    .composite([
      { input: await half(red), left: 0, top: 0 },
      { input: await half(blue), left: 200, top: 0 },
    ])
    .jpeg()
    .withMetadata({ orientation: 6 })
    .toBuffer();
}

/** The RGB of the pixel at (x, y) of a decoded image. */
export async function colourAt(bytes: Uint8Array, x: number, y: number): Promise<[number, number, number]> {
  const { data, info } = await sharp(bytes).removeAlpha().raw().toBuffer({ resolveWithObject: true });
  const at = (y * info.width + x) * info.channels;
  return [data[at] ?? -1, data[at + 1] ?? -1, data[at + 2] ?? -1];
}

/**
 * A valid PNG signature and header claiming 100000×100000 pixels (a decompression bomb), with one
 * tiny data chunk: nothing to decode, everything to refuse.
 */
export function pngBomb(): Buffer {
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(100_000, 0);
  ihdr.writeUInt32BE(100_000, 4);
  ihdr.set([8, 2, 0, 0, 0], 8); // 8 bits per channel, RGB, deflate, no filter, no interlace
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk("IHDR", ihdr),
    chunk("IDAT", Buffer.from([0x78, 0x9c, 0x03, 0x00, 0x00, 0x00, 0x00, 0x01])),
    chunk("IEND", Buffer.alloc(0)),
  ]);
}

function chunk(type: string, data: Buffer): Buffer {
  const length = Buffer.alloc(4);
  length.writeUInt32BE(data.length);
  const body = Buffer.concat([Buffer.from(type, "latin1"), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(body));
  return Buffer.concat([length, body, crc]);
}
