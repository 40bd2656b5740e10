import type { GatewayClient } from "../gateway-client.ts";
import { photoJpeg } from "../sample-images.ts";
import { ratio, type Summary, summarize, timed } from "../stats.ts";

export interface StoreUnderTest {
  api: GatewayClient;
  token: string;
}

export interface UploadStoresOptions {
  /** The same stack with image files on the local filesystem and in an S3-compatible store. */
  file: StoreUnderTest;
  s3: StoreUnderTest;
  iterations: number;
  warmup: number;
  /** No iteration starts after this (Date.now() ms). */
  deadline: number;
}

export interface StoreTimings {
  /** POST /v1/images through the gateway (multipart), 201 received and read. */
  uploadMs: Summary;
  /** GET /v1/images/{id}/content (the original), every byte read. */
  contentMs: Summary;
}

export interface UploadStoresResult {
  input: { width: number; height: number; bytes: number };
  iterations: number;
  stoppedByTime: boolean;
  file: StoreTimings;
  s3: StoreTimings;
  /** S3 / file, at the median. */
  uploadRatioP50: number;
  contentRatioP50: number;
}

/**
 * A 1 MP JPEG uploaded end to end and read back, into the filesystem store and into S3
 * (SeaweedFS), alternating one of each per iteration so that a noisy neighbour slows both alike.
 */
export async function measureUploadStores(opts: UploadStoresOptions): Promise<UploadStoresResult> {
  const width = 1000;
  const height = 1000;
  const jpeg = await photoJpeg(width, height);
  const file = new Blob([new Uint8Array(jpeg)], { type: "image/jpeg" });
  const samples = {
    file: { upload: [] as number[], content: [] as number[] },
    s3: { upload: [], content: [] },
  };

  const round = async (store: StoreUnderTest, into?: { upload: number[]; content: number[] }) => {
    const upload = await timed(() => store.api.upload(store.token, file, "photo.jpg", "bench #stores"));
    const content = await timed(async () => {
      const reply = await fetch(new URL(`/v1/images/${upload.value.id}/content`, store.api.baseUrl));
      if (reply.status !== 200) throw new Error(`content answered ${reply.status}`);
      await reply.arrayBuffer();
    });
    into?.upload.push(upload.ms);
    into?.content.push(content.ms);
  };

  for (let i = 0; i < opts.warmup; i++) {
    await round(opts.file);
    await round(opts.s3);
  }
  let stoppedByTime = false;
  let iterations = 0;
  for (; iterations < opts.iterations; iterations++) {
    if (Date.now() >= opts.deadline) {
      stoppedByTime = true;
      break;
    }
    await round(opts.file, samples.file);
    await round(opts.s3, samples.s3);
  }
  const timings = (of: { upload: number[]; content: number[] }): StoreTimings => ({
    uploadMs: summarize(of.upload),
    contentMs: summarize(of.content),
  });
  const fileTimings = timings(samples.file);
  const s3Timings = timings(samples.s3);
  return {
    input: { width, height, bytes: jpeg.length },
    iterations,
    stoppedByTime,
    file: fileTimings,
    s3: s3Timings,
    uploadRatioP50: ratio(s3Timings.uploadMs.p50, fileTimings.uploadMs.p50),
    contentRatioP50: ratio(s3Timings.contentMs.p50, fileTimings.contentMs.p50),
  };
}
