import { openAsBlob } from "node:fs";
import { createClient } from "@connectrpc/connect";
import { ImageService } from "@instagram/contracts/image";
import { createServiceTransport, createStaticDiscovery } from "@instagram/kit";
import { sleep } from "../bounded-runs.ts";
import type { GatewayClient } from "../gateway-client.ts";
import { type MemoryTrace, readMemory, sampleMemory } from "../process-memory.ts";
import { type Summary, summarize } from "../stats.ts";

export interface UploadMemoryOptions {
  api: GatewayClient;
  token: string;
  /** The uploader, and image-service's address to count their images by id (asked directly: without a shared bus the gateway cannot resolve a username). */
  userId: string;
  imageServiceUrl: string;
  /** The processes to watch, by name (gateway, image). */
  pids: Record<string, number>;
  /** The big upload: a valid image just under the upload limit. */
  file: { path: string; type: string; bytes: number };
  /** A small image uploaded once first, so that lazy loading is not counted as the burst's. */
  warmupImage: Blob;
  uploads: number;
  sampleIntervalMs: number;
  baselineMs: number;
  uploadTimeoutMs: number;
}

export interface ProcessMemory {
  pid: number;
  /** Largest VmRSS sampled in the quiet period before the burst. */
  baselineRssMiB: number;
  /** Largest VmRSS sampled from the start of the burst to its end. */
  peakRssMiB: number;
  /** The kernel's own peak (VmHWM) before and after the burst: catches spikes between samples. */
  hwmBeforeMiB: number;
  hwmAfterMiB: number;
  /** (peak − baseline) ÷ the bytes sent by all uploads together. */
  growthPerUploadedByte: number;
  samples: number;
}

export interface UploadMemoryResult {
  uploads: number;
  fileBytes: number;
  totalUploadMiB: number;
  statuses: Record<string, number>;
  /** Big images the uploader owns afterwards, whatever the answers said; undefined when it could not be counted. */
  storedImages: number | undefined;
  /** Of the uploads answered 201. */
  latencyMs: Summary;
  burstMs: number;
  sampleIntervalMs: number;
  processes: Record<string, ProcessMemory>;
}

const MiB = 1024 * 1024;

/** Peak memory of the gateway and image-service while many large uploads arrive at once. */
export async function measureUploadMemory(opts: UploadMemoryOptions): Promise<UploadMemoryResult> {
  await opts.api.upload(opts.token, opts.warmupImage, "warmup.jpg");
  await sleep(500);

  const sampler = sampleMemory(opts.pids, {
    intervalMs: opts.sampleIntervalMs,
    maxSamples: Math.ceil((opts.baselineMs + opts.uploadTimeoutMs + 10_000) / opts.sampleIntervalMs),
  });
  await sleep(opts.baselineMs);
  const hwmBefore: Record<string, number> = {};
  for (const [name, pid] of Object.entries(opts.pids)) hwmBefore[name] = (await readMemory(pid)).hwmKiB;

  const burstStarted = performance.now();
  const burstAtMs = sampler.elapsedMs();
  const statuses: Record<string, number> = {};
  const latencies: number[] = [];
  const blob = await openAsBlob(opts.file.path, { type: opts.file.type });
  await Promise.all(
    Array.from({ length: opts.uploads }, async (_, i) => {
      const started = performance.now();
      const form = new FormData();
      form.set("caption", `big upload ${i}`);
      form.set("file", blob, "noise.png");
      let status: string;
      try {
        const reply = await opts.api.call("POST", "/v1/images", {
          token: opts.token,
          form,
          timeoutMs: opts.uploadTimeoutMs,
        });
        status = String(reply.status);
        if (reply.status === 201) latencies.push(performance.now() - started);
      } catch (error) {
        status = error instanceof Error ? error.name : "error";
      }
      statuses[status] = (statuses[status] ?? 0) + 1;
    }),
  );
  const burstMs = performance.now() - burstStarted;
  await sleep(200);
  const traces = await sampler.stop();
  // An upload the client saw fail may still have been stored (image-service goes on after the gateway gives up).
  const storedImages = await settledCount(() => countImages(opts.imageServiceUrl, opts.userId, opts.token))
    .then((count) => count - 1) // less the warm-up image
    .catch(() => undefined);

  const totalUploadBytes = opts.file.bytes * opts.uploads;
  const processes: Record<string, ProcessMemory> = {};
  for (const [name, trace] of Object.entries(traces)) {
    processes[name] = describeProcess(trace, hwmBefore[name] ?? 0, burstAtMs, totalUploadBytes);
  }
  return {
    uploads: opts.uploads,
    fileBytes: opts.file.bytes,
    totalUploadMiB: totalUploadBytes / MiB,
    statuses,
    storedImages,
    latencyMs: summarize(latencies),
    burstMs,
    sampleIntervalMs: opts.sampleIntervalMs,
    processes,
  };
}

function describeProcess(
  trace: MemoryTrace,
  hwmBeforeKiB: number,
  burstAtMs: number,
  totalUploadBytes: number,
): ProcessMemory {
  const before = trace.series.filter(([at]) => at < burstAtMs).map(([, rss]) => rss);
  const during = trace.series.filter(([at]) => at >= burstAtMs).map(([, rss]) => rss);
  const baselineKiB = Math.max(0, ...before);
  const peakKiB = Math.max(0, ...during);
  return {
    pid: trace.pid,
    baselineRssMiB: baselineKiB / 1024,
    peakRssMiB: peakKiB / 1024,
    hwmBeforeMiB: hwmBeforeKiB / 1024,
    hwmAfterMiB: trace.lastHwmKiB / 1024,
    growthPerUploadedByte: ((peakKiB - baselineKiB) * 1024) / totalUploadBytes,
    samples: trace.samples,
  };
}

async function countImages(imageServiceUrl: string, userId: string, token: string): Promise<number> {
  const client = createClient(
    ImageService,
    createServiceTransport({
      discovery: createStaticDiscovery({ image: [imageServiceUrl] }),
      service: "image",
    }),
  );
  let count = 0;
  let cursor = "";
  for (let page = 0; page < 100; page++) {
    const answer = await client.listUserImages(
      { userId, page: { limit: 100, cursor } },
      { headers: { authorization: `Bearer ${token}` } },
    );
    count += answer.images.length;
    cursor = answer.nextCursor;
    if (cursor === "") break;
  }
  return count;
}

/** The count once it has stopped changing for 2 s (work still in flight may add to it), at most 30 s. */
async function settledCount(count: () => Promise<number>): Promise<number> {
  const deadline = Date.now() + 30_000;
  let last = await count();
  let stableSince = Date.now();
  while (Date.now() < deadline && Date.now() - stableSince < 2_000) {
    await sleep(500);
    const now = await count();
    if (now !== last) {
      last = now;
      stableSince = Date.now();
    }
  }
  return last;
}
