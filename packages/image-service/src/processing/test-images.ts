import { crc32, deflateSync } from "node:zlib";
import sharp from "sharp";

/** Images made on the spot for tests (and the measuring script); never checked-in binaries. */

/** A noisy photo-like JPEG (noise keeps it from compressing to nothing). */
export async function photoJpeg(width: number, height: number): Promise<Buffer> {
  return sharp(noise(width, height), { raw: { width, height, channels: 3 } })
    .jpeg({ quality: 90 })
    .toBuffer();
}

/**
 * A landscape JPEG, left half red and right half blue, with EXIF Orientation 6 (shown rotated 90°
 * clockwise, so red on top) plus a camera make and a GPS position.
 */
export async function orientedJpegWithGps(width: number, height: number): Promise<Buffer> {
  const half = Math.floor(width / 2);
  return sharp({ create: { width, height, channels: 3, background: "#0000ff" } })
    .composite([
      {
        input: { create: { width: half, height, channels: 3, background: "#ff0000" } },
        left: 0,
        top: 0,
      },
    ])
    .withMetadata({
      orientation: 6,
      exif: {
        IFD0: { Make: "SpyCam", Model: "X1" },
        IFD3: {
          GPSLatitudeRef: "N",
          GPSLatitude: "51/1 30/1 0/1",
          GPSLongitudeRef: "W",
          GPSLongitude: "0/1 7/1 0/1",
        },
      },
    })
    .jpeg()
    .toBuffer();
}

export async function solid(format: "png" | "webp" | "gif", width: number, height: number): Promise<Buffer> {
  return sharp({ create: { width, height, channels: 4, background: { r: 10, g: 200, b: 30, alpha: 1 } } })
    .toFormat(format)
    .toBuffer();
}

/** A 3-frame animated GIF. */
export async function animatedGif(width: number, height: number): Promise<Buffer> {
  const frames = await Promise.all(
    [0, 1, 2].map((i) =>
      sharp({ create: { width, height, channels: 3, background: { r: i * 100, g: 0, b: 0 } } })
        .raw()
        .toBuffer(),
    ),
  );
  return sharp(Buffer.concat(frames), { raw: { width, height: height * 3, channels: 3, pageHeight: height } })
    .gif({ delay: [100, 100, 100] })
    .toBuffer();
}

/** A tiny PNG whose header claims width × height (a decompression bomb's shape). */
export function pngClaiming(width: number, height: number): Buffer {
  const header = Buffer.alloc(13);
  header.writeUInt32BE(width, 0);
  header.writeUInt32BE(height, 4);
  header[8] = 8; // bit depth
  header[9] = 2; // truecolour
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    pngChunk("IHDR", header),
    pngChunk("IDAT", deflateSync(Buffer.alloc(4096))),
    pngChunk("IEND", Buffer.alloc(0)),
  ]);
}

function pngChunk(type: string, data: Buffer): Buffer {
  const length = Buffer.alloc(4);
  length.writeUInt32BE(data.length);
  const typed = Buffer.concat([Buffer.from(type, "latin1"), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(typed));
  return Buffer.concat([length, typed, crc]);
}

function noise(width: number, height: number): Buffer {
  const pixels = Buffer.alloc(width * height * 3);
  let seed = 42;
  for (let i = 0; i < pixels.length; i++) {
    seed = (seed * 1103515245 + 12345) & 0x7fffffff;
    pixels[i] = seed >> 16;
  }
  return pixels;
}

/** A web stream over bytes, in chunks (as a network body arrives). */
export function streamOf(bytes: Uint8Array, chunkSize = 64 * 1024): ReadableStream<Uint8Array> {
  let offset = 0;
  return new ReadableStream<Uint8Array>({
    pull(controller) {
      if (offset >= bytes.length) return controller.close();
      controller.enqueue(bytes.slice(offset, offset + chunkSize));
      offset += chunkSize;
    },
  });
}

/** An endless body starting with `head` (a "2 GB upload" that never needs 2 GB), counting what it sent. */
export function endlessStream(
  head: Uint8Array,
  chunkSize = 64 * 1024,
): { stream: ReadableStream<Uint8Array>; sent(): number } {
  let sent = 0;
  const filler = new Uint8Array(chunkSize).fill(0x55);
  return {
    stream: new ReadableStream<Uint8Array>({
      pull(controller) {
        const chunk =
          sent === 0 ? Uint8Array.from([...head, ...filler.subarray(head.length)]) : filler.slice();
        sent += chunk.length;
        controller.enqueue(chunk);
      },
    }),
    sent: () => sent,
  };
}

export async function readAll(stream: ReadableStream<Uint8Array>): Promise<Buffer> {
  return Buffer.from(await new Response(stream).arrayBuffer());
}
