import { mkdtemp, readdir, rm, stat, utimes, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { readAll, streamOf } from "../processing/test-images.ts";
import { FileBlobStore } from "./file-blob-store.ts";
import { ScratchFile } from "./scratch-file.ts";

let root: string;
let store: FileBlobStore;

beforeEach(async () => {
  root = await mkdtemp(join(tmpdir(), "blobs-"));
  store = new FileBlobStore(root);
  await store.init();
});
afterEach(async () => {
  await rm(root, { recursive: true, force: true });
});

describe("FileBlobStore", () => {
  it("stores, streams back and deletes a blob", async () => {
    const bytes = new Uint8Array(200_000).map((_, i) => i % 251);
    expect(await store.put("a.original", streamOf(bytes, 7000))).toEqual({ size: bytes.length });
    const blob = await store.open("a.original");
    expect(blob?.size).toBe(bytes.length);
    expect(Buffer.compare(await readAll(blob!.stream()), Buffer.from(bytes))).toBe(0);
    await store.delete("a.original");
    expect(await store.open("a.original")).toBeUndefined();
    await store.delete("a.original"); // deleting twice is fine
  });

  it("leaves neither a partial blob nor a scratch file when the body fails mid-write", async () => {
    let sent = 0;
    const failing = new ReadableStream<Uint8Array>({
      pull(controller) {
        if (sent++ < 3) controller.enqueue(new Uint8Array(1000));
        else controller.error(new Error("connection reset"));
      },
    });
    await expect(store.put("b.original", failing)).rejects.toThrow("connection reset");
    expect(await store.open("b.original")).toBeUndefined();
    expect(await readdir(store.scratchDir)).toEqual([]);
  });

  it("moves a complete scratch file into place instead of copying it", async () => {
    const bytes = new Uint8Array(150_000).map((_, i) => i % 13);
    const path = store.scratchPath("original");
    await writeFile(path, bytes);
    const before = await stat(path);
    expect(await store.put("c.original", new ScratchFile(Promise.resolve(path)))).toEqual({
      size: bytes.length,
    });
    expect(await readdir(store.scratchDir)).toEqual([]);
    const blob = await store.open("c.original");
    expect(Buffer.compare(await readAll(blob!.stream()), Buffer.from(bytes))).toBe(0);
    const stored = await stat(
      join(root, "objects", (await readdir(join(root, "objects")))[0]!, "c.original"),
    );
    expect(stored.ino).toBe(before.ino); // the same file, renamed
  });

  it("stores nothing when the scratch file's writer failed, and reads it as a stream otherwise", async () => {
    const failed = new ScratchFile(Promise.reject(new Error("undecodable")));
    await expect(store.put("d.original", failed)).rejects.toThrow("undecodable");
    expect(await store.open("d.original")).toBeUndefined();

    const path = store.scratchPath("thumbnail");
    await writeFile(path, new Uint8Array(70_000).fill(7));
    const read = await readAll(new ScratchFile(Promise.resolve(path)));
    expect(read.length).toBe(70_000);
    expect(read.every((byte) => byte === 7)).toBe(true);
  });

  it("sweeps only scratch files older than the cut-off (what a crash mid-write leaves)", async () => {
    const old = join(store.scratchDir, "old.part");
    const fresh = join(store.scratchDir, "fresh.part");
    await writeFile(old, "half a file");
    await writeFile(fresh, "being written");
    const twoHoursAgo = new Date(Date.now() - 2 * 3600_000);
    await utimes(old, twoHoursAgo, twoHoursAgo);
    expect(await store.sweepScratch(new Date(Date.now() - 3600_000))).toBe(1);
    expect(await readdir(store.scratchDir)).toEqual(["fresh.part"]);
  });

  it("refuses keys that could escape its directory", async () => {
    await expect(store.put("../evil", streamOf(new Uint8Array(1)))).rejects.toThrow("invalid blob key");
    await expect(store.open("a/b")).rejects.toThrow("invalid blob key");
  });
});
