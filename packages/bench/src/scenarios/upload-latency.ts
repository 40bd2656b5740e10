import { rm, writeFile } from "node:fs/promises";
import { join } from "node:path";
import sharp, { type SharpOptions } from "sharp";
import type { GatewayClient } from "../gateway-client.ts";
import { photoJpeg } from "../sample-images.ts";
import { ratio, type Summary, summarize, timed } from "../stats.ts";

export interface UploadLatencyOptions {
  api: GatewayClient;
  token: string;
  workDir: string;
  iterations: number;
  warmup: number;
  /** No iteration starts after this (Date.now() ms). */
  deadline: number;
}

export interface UploadLatencyResult {
  input: { width: number; height: number; bytes: number };
  iterations: number;
  stoppedByTime: boolean;
  /** sharp alone, in this process: metadata, auto-oriented original (q90) and ≤320 px thumbnail (q80), file to files. */
  sharpMs: Summary;
  /** POST /v1/images through the gateway (multipart), 201 received and read. */
  uploadMs: Summary;
  ratioP50: number;
  ratioP95: number;
}

// The options image-service decodes uploads with (src/processing/sharp-processor.ts).
const decodeOptions: SharpOptions = {
  limitInputPixels: 100_000_000,
  failOn: "warning",
  autoOrient: true,
  pages: 1,
  sequentialRead: true,
};

/**
 * A 1 MP JPEG uploaded end to end versus the same image work done by sharp alone, alternating one
 * of each per iteration so that a noisy neighbour slows both alike.
 */
export async function measureUploadLatency(opts: UploadLatencyOptions): Promise<UploadLatencyResult> {
  const width = 1000;
  const height = 1000;
  const jpeg = await photoJpeg(width, height);
  const inputPath = join(opts.workDir, "upload-input.jpg");
  await writeFile(inputPath, jpeg);
  const file = new Blob([new Uint8Array(jpeg)], { type: "image/jpeg" });

  const sharpAlone = async (i: number): Promise<void> => {
    await sharp(inputPath, decodeOptions).metadata();
    const original = join(opts.workDir, `sharp-${i}.original.jpg`);
    const thumbnail = join(opts.workDir, `sharp-${i}.thumbnail.jpg`);
    await sharp(inputPath, decodeOptions).jpeg({ quality: 90 }).toFile(original);
    await sharp(inputPath, decodeOptions)
      .resize({ width: 320, height: 320, fit: "inside", withoutEnlargement: true })
      .jpeg({ quality: 80 })
      .toFile(thumbnail);
    await Promise.all([rm(original), rm(thumbnail)]);
  };
  const upload = async (): Promise<void> => {
    await opts.api.upload(opts.token, file, "photo.jpg", "bench #upload");
  };

  for (let i = 0; i < opts.warmup; i++) {
    await sharpAlone(-1 - i);
    await upload();
  }
  const sharpSamples: number[] = [];
  const uploadSamples: number[] = [];
  let stoppedByTime = false;
  for (let i = 0; i < opts.iterations; i++) {
    if (Date.now() >= opts.deadline) {
      stoppedByTime = true;
      break;
    }
    sharpSamples.push((await timed(() => sharpAlone(i))).ms);
    uploadSamples.push((await timed(upload)).ms);
  }
  await rm(inputPath, { force: true });

  const sharpMs = summarize(sharpSamples);
  const uploadMs = summarize(uploadSamples);
  return {
    input: { width, height, bytes: jpeg.length },
    iterations: uploadSamples.length,
    stoppedByTime,
    sharpMs,
    uploadMs,
    ratioP50: ratio(uploadMs.p50, sharpMs.p50),
    ratioP95: ratio(uploadMs.p95, sharpMs.p95),
  };
}
