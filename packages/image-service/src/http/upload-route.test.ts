import { readdir } from "node:fs/promises";
import type { ImageRepresentation } from "@instagram/contracts/image-representation";
import sharp from "sharp";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { blobClaims, images } from "../db/schema/index.ts";
import {
  endlessStream,
  orientedJpegWithGps,
  photoJpeg,
  pngClaiming,
  solid,
  streamOf,
} from "../processing/test-images.ts";
import { createTestbed, type Testbed } from "../testing/testbed.ts";

const MiB = 1024 * 1024;
let bed: Testbed;
let user: string;

beforeAll(async () => {
  bed = await createTestbed();
  user = await bed.createUser("uploader");
});
afterAll(async () => {
  await bed.close();
});

/** A raw (non-multipart) upload whose body is a stream: the gateway's chunked transfer. */
async function rawUpload(
  body: ReadableStream<Uint8Array> | Uint8Array,
  headers: Record<string, string> = {},
) {
  const request = new Request("http://image.test/internal/v1/uploads", {
    method: "POST",
    body,
    headers: {
      authorization: await bed.tokens.authorizationFor(user),
      "content-type": "image/jpeg",
      ...headers,
    },
    duplex: "half",
  } as RequestInit);
  return bed.app.request(request);
}

async function nothingLeftBehind(): Promise<void> {
  expect(await bed.db.select({ id: images.id }).from(images)).toHaveLength(storedImages);
  expect(await bed.blobFiles()).toHaveLength(storedImages * 2);
  expect(await readdir(bed.blobs.scratchDir)).toEqual([]);
  expect(await bed.db.select().from(blobClaims)).toEqual([]);
}
let storedImages = 0;

async function expectProblem(response: Response, status: number): Promise<void> {
  expect(response.status).toBe(status);
  expect(response.headers.get("content-type")).toBe("application/problem+json");
  const body = (await response.json()) as { status: number; title: string; detail?: string };
  expect(body.status).toBe(status);
  await nothingLeftBehind();
}

describe("POST /internal/v1/uploads", () => {
  it("stores a multipart upload and answers 201 with the Image JSON", async () => {
    const response = await bed.upload(
      user,
      await orientedJpegWithGps(600, 400),
      "Sunset #Beach #beach @Friend.One",
    );
    expect(response.status).toBe(201);
    storedImages++;
    const image = (await response.json()) as ImageRepresentation;
    expect(response.headers.get("location")).toBe(`/v1/images/${image.id}`);
    expect(image).toMatchObject({
      owner: { id: user, username: "uploader" },
      caption: "Sunset #Beach #beach @Friend.One",
      hashtags: ["beach"],
      mentions: ["friend.one"],
      contentType: "image/jpeg",
      width: 400, // auto-oriented
      height: 600,
      likesCount: 0,
      commentsCount: 0,
      likedByMe: false,
      urls: {
        original: `/v1/images/${image.id}/content?size=original`,
        thumbnail: `/v1/images/${image.id}/content?size=thumbnail`,
      },
    });
    expect(new Date(image.createdAt).toISOString()).toBe(image.createdAt);
    await nothingLeftBehind();
  });

  it("takes a raw streamed body with the caption in x-caption (percent-encoded)", async () => {
    const png = await solid("png", 50, 40);
    const response = await rawUpload(streamOf(png, 1000), {
      "x-caption": encodeURIComponent("Grüße #München 🍺"),
      "content-type": "application/octet-stream",
    });
    expect(response.status).toBe(201);
    storedImages++;
    const image = (await response.json()) as ImageRepresentation;
    expect([image.contentType, image.caption, image.hashtags]).toEqual([
      "image/png",
      "Grüße #München 🍺",
      ["münchen"],
    ]);
  });

  it("needs a valid access token (never a bare user id)", async () => {
    const form = new FormData();
    form.set("file", new File([new Uint8Array(await photoJpeg(10, 10))], "a.jpg"));
    const anonymous = await bed.app.request("/internal/v1/uploads", {
      method: "POST",
      body: form,
      headers: { "x-user-id": user },
    });
    await expectProblem(anonymous, 401);
    const forged = await bed.app.request("/internal/v1/uploads", {
      method: "POST",
      body: form,
      headers: { authorization: "Bearer eyJhbGciOiJub25lIn0.eyJzdWIiOiJ4In0." },
    });
    await expectProblem(forged, 401);
  });

  it("refuses a streamed 2 GB body with 413 after reading just past the limit", async () => {
    const head = (await photoJpeg(16, 16)).subarray(0, 64);
    const body = endlessStream(head);
    await expectProblem(await rawUpload(body.stream), 413);
    expect(body.sent()).toBeLessThan(20 * MiB + 256 * 1024);
  });

  it("refuses a multipart body whose file part runs past the limit with 413", async () => {
    const head = new TextEncoder().encode(
      '--b\r\nContent-Disposition: form-data; name="file"; filename="big.jpg"\r\n\r\n',
    );
    const jpegHead = (await photoJpeg(16, 16)).subarray(0, 64);
    const body = endlessStream(Uint8Array.from([...head, ...jpegHead]));
    await expectProblem(
      await rawUpload(body.stream, { "content-type": "multipart/form-data; boundary=b" }),
      413,
    );
    expect(body.sent()).toBeLessThan(20 * MiB + 256 * 1024);
  });

  it("refuses a declared 2 GB body with 413 without reading it", async () => {
    const body = endlessStream(new Uint8Array([0xff, 0xd8, 0xff]));
    await expectProblem(await rawUpload(body.stream, { "content-length": String(2 * 1024 * MiB) }), 413);
    expect(body.sent()).toBeLessThanOrEqual(64 * 1024);
  });

  it("decides the type by the bytes: a text file named .jpg is 415", async () => {
    const form = new FormData();
    form.set(
      "file",
      new File(["I am not a picture, whatever my name says"], "photo.jpg", { type: "image/jpeg" }),
    );
    const response = await bed.app.request("/internal/v1/uploads", {
      method: "POST",
      body: form,
      headers: { authorization: await bed.tokens.authorizationFor(user) },
    });
    await expectProblem(response, 415);
  });

  it("refuses other image formats (TIFF, SVG) with 415", async () => {
    const tiff = await sharp({ create: { width: 8, height: 8, channels: 3, background: "#fff" } })
      .tiff()
      .toBuffer();
    await expectProblem(await bed.upload(user, tiff), 415);
    await expectProblem(
      await bed.upload(user, new TextEncoder().encode("<svg xmlns='http://www.w3.org/2000/svg'/>")),
      415,
    );
  });

  it("refuses an empty file with 400 (multipart and raw)", async () => {
    await expectProblem(await bed.upload(user, new Uint8Array()), 400);
    await expectProblem(await rawUpload(new Uint8Array()), 400);
  });

  it("refuses a truncated JPEG with 400", async () => {
    const whole = await photoJpeg(300, 200);
    await expectProblem(await bed.upload(user, whole.subarray(0, Math.floor(whole.length * 0.6))), 400);
  });

  it("refuses a PNG claiming 100000×100000 pixels with 413, quickly", async () => {
    const started = performance.now();
    await expectProblem(await bed.upload(user, pngClaiming(100_000, 100_000)), 413);
    expect(performance.now() - started).toBeLessThan(2000);
  });

  it("refuses a caption over 2200 characters with 400, naming the field", async () => {
    const response = await bed.upload(user, await photoJpeg(10, 10), "x".repeat(2201));
    expect(response.status).toBe(400);
    const body = (await response.clone().json()) as { errors?: { path: string }[] };
    expect(body.errors?.[0]?.path).toBe("caption");
    await expectProblem(response, 400);
  });

  it("treats a body that breaks off mid-upload as the client's problem, leaving nothing behind", async () => {
    const jpeg = await photoJpeg(200, 200);
    let pulls = 0;
    const breaking = new ReadableStream<Uint8Array>({
      pull(controller) {
        if (pulls++ === 0) controller.enqueue(jpeg.subarray(0, 4096));
        else controller.error(new Error("socket hang up"));
      },
    });
    await expectProblem(await rawUpload(breaking), 400);
  });

  it("refuses a form without a file part, or a malformed one, with 400", async () => {
    const form = new FormData();
    form.set("caption", "no file");
    const noFile = await bed.app.request("/internal/v1/uploads", {
      method: "POST",
      body: form,
      headers: { authorization: await bed.tokens.authorizationFor(user) },
    });
    await expectProblem(noFile, 400);
    const malformed = await rawUpload(new TextEncoder().encode("--b\r\nno headers end"), {
      "content-type": "multipart/form-data; boundary=b",
    });
    await expectProblem(malformed, 400);
  });
});

describe("GET /v1/images/:id/content", () => {
  it("streams both renditions with type, strong ETag, immutable caching and 304", async () => {
    const upload = await bed.upload(user, await photoJpeg(1000, 500));
    storedImages++;
    const { id } = (await upload.json()) as ImageRepresentation;

    const original = await bed.app.request(`/v1/images/${id}/content?size=original`);
    expect(original.status).toBe(200);
    expect(original.headers.get("content-type")).toBe("image/jpeg");
    expect(original.headers.get("cache-control")).toBe("public, max-age=31536000, immutable");
    const etag = original.headers.get("etag");
    expect(etag).toMatch(/^"[^"]+"$/);
    const bytes = Buffer.from(await original.arrayBuffer());
    expect(original.headers.get("content-length")).toBe(String(bytes.length));
    expect(await sharp(bytes).metadata()).toMatchObject({ width: 1000, height: 500 });

    const thumbnail = await bed.app.request(`/v1/images/${id}/content?size=thumbnail`);
    expect(thumbnail.headers.get("etag")).not.toBe(etag);
    expect(await sharp(Buffer.from(await thumbnail.arrayBuffer())).metadata()).toMatchObject({
      width: 320,
      height: 160,
    });

    const defaulted = await bed.app.request(`/v1/images/${id}/content`);
    expect(defaulted.headers.get("etag")).toBe(etag);
    await defaulted.body?.cancel();

    const cached = await bed.app.request(`/v1/images/${id}/content?size=original`, {
      headers: { "if-none-match": etag ?? "" },
    });
    expect(cached.status).toBe(304);
    expect(cached.headers.get("etag")).toBe(etag);
    expect(await cached.text()).toBe("");
  });

  it("is 404 for unknown or deleted images and 400 for an unknown size", async () => {
    expect((await bed.app.request("/v1/images/0193a000-0000-7000-8000-000000000000/content")).status).toBe(
      404,
    );
    expect((await bed.app.request("/v1/images/nope/content")).status).toBe(404);
    const upload = await bed.upload(user, await photoJpeg(20, 20));
    const { id } = (await upload.json()) as ImageRepresentation;
    expect((await bed.app.request(`/v1/images/${id}/content?size=huge`)).status).toBe(400);
    await bed.client.deleteImage({ id }, await bed.as(user));
    expect((await bed.app.request(`/v1/images/${id}/content`)).status).toBe(404);
  });
});

describe("the kit's routes", () => {
  it("still answer behind the image routes", async () => {
    expect((await bed.app.request("/healthz")).status).toBe(200);
    expect((await bed.app.request("/no/such/route")).status).toBe(404);
  });
});
