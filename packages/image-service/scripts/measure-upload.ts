/**
 * How much does the upload route add to sharp's own work? Uploads one 1-megapixel JPEG N times
 * (a) through sharp alone (metadata + normalised original + thumbnail, from a file, to files),
 * (b) through this service's processor and blob store (spool, sniff, decode, atomic writes; no DB), and
 * (c) through the upload route on a real HTTP server (launchService, fetch with a multipart body:
 *     multipart parsing, token check, processing, blob writes, the PGlite transaction, the JSON answer),
 * and prints medians. Run: npx tsx packages/image-service/scripts/measure-upload.ts [N]
 */
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { launchService } from "@instagram/kit/node";
import { createTestRuntime, createTestTokens } from "@instagram/kit/testing";
import sharp from "sharp";
import { FileBlobStore } from "../src/blobs/file-blob-store.ts";
import { createSharpProcessor } from "../src/processing/sharp-processor.ts";
import { photoJpeg, streamOf } from "../src/processing/test-images.ts";
import { createImageService, loadImageEnv } from "../src/service.ts";

const runs = Number(process.argv[2] ?? 15);
const dir = await mkdtemp(join(tmpdir(), "measure-upload-"));
const jpeg = await photoJpeg(1000, 1000);
const inputPath = join(dir, "input.jpg");
await writeFile(inputPath, jpeg);

const median = (values: number[]): number => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? Number.NaN;
};
async function time(label: string, run: (i: number) => Promise<void>): Promise<number> {
  await run(-1); // warm-up
  const samples: number[] = [];
  for (let i = 0; i < runs; i++) {
    const started = performance.now();
    await run(i);
    samples.push(performance.now() - started);
  }
  const value = median(samples);
  console.log(
    `${label.padEnd(44)} median ${value.toFixed(1)} ms  (min ${Math.min(...samples).toFixed(1)}, max ${Math.max(...samples).toFixed(1)})`,
  );
  return value;
}

console.log(`input: 1000×1000 JPEG, ${(jpeg.length / 1024).toFixed(0)} KiB; ${runs} runs each`);

const sharpOnly = await time("sharp alone (metadata + original + thumbnail)", async (i) => {
  const options = { failOn: "warning", autoOrient: true, pages: 1, limitInputPixels: 100_000_000 } as const;
  await sharp(inputPath, options).metadata();
  await sharp(inputPath, options)
    .jpeg({ quality: 90 })
    .toFile(join(dir, `o${i}.jpg`));
  await sharp(inputPath, options)
    .resize({ width: 320, height: 320, fit: "inside", withoutEnlargement: true })
    .jpeg({ quality: 80 })
    .toFile(join(dir, `t${i}.jpg`));
});

const blobs = new FileBlobStore(join(dir, "pipeline"));
await blobs.init();
const processor = createSharpProcessor({
  scratchPath: (suffix) => blobs.scratchPath(suffix),
  maxInputPixels: 100_000_000,
  renderConcurrency: 2,
});
const pipeline = await time("processor + blob store (no DB, no HTTP)", async (i) => {
  const image = await processor.receive(streamOf(jpeg), { maxBytes: 20 * 1024 * 1024 });
  await blobs.put(`${i + 1}.original`, image.render("original"));
  await blobs.put(`${i + 1}.thumbnail`, image.render("thumbnail"));
  await image.discard();
});

const runtime = createTestRuntime();
const tokens = await createTestTokens();
const env = loadImageEnv({ DATA_DIR: dir, PORT: "0" });
const module = createImageService(env, { verifier: tokens.verifier });
const launched = await launchService(module, runtime, { host: "127.0.0.1", port: 0 });
const authorization = await tokens.authorizationFor("0193a000-0000-7000-8000-00000000beef");
const form = (): FormData => {
  const body = new FormData();
  body.set("caption", "measuring #speed");
  body.set("file", new File([new Uint8Array(jpeg)], "photo.jpg", { type: "image/jpeg" }));
  return body;
};

const overHttp = await time("upload over HTTP (multipart, real socket)", async () => {
  const response = await fetch(`${launched.url}/internal/v1/uploads`, {
    method: "POST",
    body: form(),
    headers: { authorization },
  });
  if (response.status !== 201) throw new Error(`upload: ${response.status} ${await response.text()}`);
  await response.arrayBuffer();
});

console.log(
  `pipeline over sharp alone: ×${(pipeline / sharpOnly).toFixed(2)} (+${(pipeline - sharpOnly).toFixed(1)} ms)`,
);
console.log(
  `route overhead over sharp alone: ×${(overHttp / sharpOnly).toFixed(2)} (+${(overHttp - sharpOnly).toFixed(1)} ms)`,
);

// A 2 GB body that never ends: how soon does the 413 come, and how much was sent by then?
let sent = 0;
const endless = new ReadableStream<Uint8Array>({
  pull(controller) {
    const chunk = new Uint8Array(64 * 1024).fill(0x55);
    if (sent === 0) chunk.set(jpeg.subarray(0, 64));
    sent += chunk.length;
    if (sent > 200 * 1024 * 1024) controller.close();
    else controller.enqueue(chunk);
  },
});
const started = performance.now();
const refused = await fetch(`${launched.url}/internal/v1/uploads`, {
  method: "POST",
  body: endless,
  headers: { authorization, "content-type": "image/jpeg" },
  duplex: "half",
} as RequestInit).catch((error: unknown) => error as Error);
const refusedStatus = refused instanceof Response ? refused.status : `error ${refused.message}`;
console.log(
  `endless body → ${refusedStatus} after ${(performance.now() - started).toFixed(0)} ms, ${(sent / 1024 / 1024).toFixed(1)} MiB sent`,
);

await launched.stop();
await runtime.close?.();
await rm(dir, { recursive: true, force: true });
