import { randomFillSync } from "node:crypto";
import { stat } from "node:fs/promises";
import sharp from "sharp";

/**
 * A photo-like JPEG: smooth gradients with a little grain (pure noise would be an unusually
 * large file for its pixel count, a flat colour an unusually small one).
 */
export async function photoJpeg(width: number, height: number): Promise<Buffer> {
  const pixels = Buffer.alloc(width * height * 3);
  const grain = randomFillSync(Buffer.alloc(width * height));
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const at = y * width + x;
      const jitter = ((grain[at] as number) % 24) - 12;
      pixels[at * 3] = clampByte((255 * x) / width + jitter);
      pixels[at * 3 + 1] = clampByte((255 * y) / height + jitter);
      pixels[at * 3 + 2] = clampByte(128 + 100 * Math.sin((x + y) / 40) + jitter);
    }
  }
  return sharp(pixels, { raw: { width, height, channels: 3 } })
    .jpeg({ quality: 90 })
    .toBuffer();
}

/** A few-pixel PNG for creating many images cheaply. */
export function tinyPng(): Promise<Buffer> {
  return sharp({ create: { width: 8, height: 8, channels: 3, background: "#3a7bd5" } })
    .png()
    .toBuffer();
}

/**
 * A valid PNG of random noise written to `path`, as large as fits under `maxBytes`: incompressible
 * pixels, stored without compression, so the file size is set by the pixel count. Returns its
 * size and dimensions.
 */
export async function noisePngUnder(
  path: string,
  maxBytes: number,
  width = 2560,
): Promise<{ bytes: number; width: number; height: number }> {
  const rowBytes = width * 3 + 1; // a filter byte per row
  let height = Math.floor((maxBytes - 256 * 1024) / rowBytes);
  for (let attempt = 0; attempt < 5; attempt++) {
    const pixels = randomFillSync(Buffer.alloc(width * height * 3));
    await sharp(pixels, { raw: { width, height, channels: 3 } })
      .png({ compressionLevel: 0, adaptiveFiltering: false })
      .toFile(path);
    const { size } = await stat(path);
    if (size <= maxBytes) return { bytes: size, width, height };
    height = Math.floor(height * 0.99);
  }
  throw new Error(`could not make a noise PNG under ${maxBytes} bytes`);
}

function clampByte(value: number): number {
  return Math.max(0, Math.min(255, Math.round(value)));
}
