import sharp from "sharp";
import { beforeAll, describe, expect, it } from "vitest";
import type { Image } from "./client.ts";
import { post, postPicture } from "./gallery.ts";
import { newPeople, type Person } from "./people.ts";
import { expectProblem } from "./problems.ts";
import { gateway } from "./stack.ts";
import {
  colourAt,
  contentTypes,
  type Format,
  jpegWithGps,
  picture,
  pixelsOf,
  sidewaysJpeg,
} from "./test-images.ts";

const formats: Format[] = ["jpeg", "png", "webp", "gif"];
const RFC3339_UTC = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z$/;

describe("images", () => {
  const api = gateway();
  let owner: Person;
  let other: Person;
  beforeAll(async () => {
    [owner, other] = (await newPeople(api, 2, { prefix: "img" })) as [Person, Person];
  });

  it("stores JPEG, PNG, WebP and GIF uploads and describes them", async () => {
    for (const format of formats) {
      const before = Date.now();
      const caption = `A ${format} #Format_${format} for @${other.username}`;
      const reply = await owner.client.upload({
        bytes: await picture(format, 64, 48),
        caption,
        contentType: contentTypes[format],
        filename: `picture.${format === "jpeg" ? "jpg" : format}`,
      });
      expect(reply.status, reply.text).toBe(201);
      const image = reply.body;
      const expected: Image = {
        id: image.id,
        owner: { id: owner.id, username: owner.username },
        caption,
        hashtags: [`format_${format}`],
        mentions: [other.username],
        contentType: contentTypes[format],
        width: 64,
        height: 48,
        likesCount: 0,
        commentsCount: 0,
        likedByMe: false,
        createdAt: image.createdAt,
        urls: {
          original: `/v1/images/${image.id}/content?size=original`,
          thumbnail: `/v1/images/${image.id}/content?size=thumbnail`,
        },
      };
      expect(image).toEqual(expected);
      expect(image.id).toMatch(/^[0-9a-f-]{36}$/);
      expect(image.createdAt).toMatch(RFC3339_UTC);
      expect(Date.parse(image.createdAt)).toBeGreaterThanOrEqual(before - 5_000);
      expect(Date.parse(image.createdAt)).toBeLessThanOrEqual(Date.now() + 5_000);

      const fetched = await other.client.image(image.id);
      expect(fetched.status, fetched.text).toBe(200);
      expect(fetched.body).toEqual(expected);
      const content = await api.content(image.id, "original");
      expect(content.status).toBe(200);
      expect(content.headers.get("content-type")).toBe(contentTypes[format]);
      expect((await sharp(content.bytes).metadata()).format).toBe(format);
    }
  });

  it("needs a token to see an image, and answers 404 for one that does not exist", async () => {
    const image = await postPicture(owner.client);
    expectProblem(await api.image(image.id), 401);
    expectProblem(await owner.client.image("0192f0a4-8b1c-7def-8123-456789abcdef"), 404);
    expectProblem(await owner.client.image("not-an-id"), 404);
  });

  it("serves the stored files to anyone without a token: the same bytes each time, strong ETag, cached forever", async () => {
    const upload = await picture("png", 200, 150);
    const image = await post(owner.client, { bytes: upload, contentType: "image/png", filename: "p.png" });
    for (const size of ["original", "thumbnail"] as const) {
      const first = await api.content(image.id, size);
      const second = await api.content(image.id, size);
      expect(first.status).toBe(200);
      expect(second.status).toBe(200);
      expect(first.headers.get("content-type")).toBe("image/png");
      expect(Buffer.compare(first.bytes, second.bytes)).toBe(0);
      expect(first.headers.get("content-length")).toBe(String(first.bytes.length));
      const etag = first.headers.get("etag");
      expect(etag).toMatch(/^"[^"]+"$/); // strong: no W/
      expect(second.headers.get("etag")).toBe(etag);
      const caching = first.headers.get("cache-control") ?? "";
      expect(caching).toMatch(/\bpublic\b/);
      expect(caching).toMatch(/\bmax-age=31536000\b/);
      expect(caching).toMatch(/\bimmutable\b/);

      const unchanged = await api.content(image.id, size, { "if-none-match": etag ?? "" });
      expect(unchanged.status).toBe(304);
      expect(unchanged.bytes.length).toBe(0);
      expect(unchanged.headers.get("etag")).toBe(etag);
      const stale = await api.content(image.id, size, { "if-none-match": '"something-else"' });
      expect(stale.status).toBe(200);
      expect(Buffer.compare(stale.bytes, first.bytes)).toBe(0);
    }
    // PNG is lossless: the stored original decodes to exactly the uploaded pixels.
    const original = await api.content(image.id, "original");
    expect(await pixelsOf(original.bytes)).toEqual(await pixelsOf(upload));
  });

  it("makes a thumbnail at most 320 px on its longer side, keeping the aspect ratio", async () => {
    for (const [width, height] of [
      [1200, 500],
      [300, 900],
    ] as const) {
      const image = await postPicture(owner.client, "", { format: "jpeg", width, height });
      expect([image.width, image.height]).toEqual([width, height]);
      const thumbnail = await api.content(image.id, "thumbnail");
      expect(thumbnail.status).toBe(200);
      const meta = await sharp(thumbnail.bytes).metadata();
      expect(Math.max(meta.width ?? 0, meta.height ?? 0)).toBe(320);
      expect((meta.width ?? 0) / (meta.height ?? 1)).toBeCloseTo(width / height, 1);
      const original = await sharp((await api.content(image.id, "original")).bytes).metadata();
      expect([original.width, original.height]).toEqual([width, height]);
    }
    const small = await postPicture(owner.client, "", { width: 100, height: 80 });
    const meta = await sharp((await api.content(small.id, "thumbnail")).bytes).metadata();
    expect(Math.max(meta.width ?? 0, meta.height ?? 0)).toBeLessThanOrEqual(320);
  });

  it("strips EXIF, GPS position included, from both stored files", async () => {
    const upload = await jpegWithGps();
    expect((await sharp(upload).metadata()).exif?.length).toBeGreaterThan(0); // it is there to strip
    const image = await post(owner.client, { bytes: upload, contentType: "image/jpeg", filename: "gps.jpg" });
    for (const size of ["original", "thumbnail"] as const) {
      const content = await api.content(image.id, size);
      expect(content.status).toBe(200);
      const meta = await sharp(content.bytes).metadata();
      expect(meta.exif).toBeUndefined();
      expect(meta.xmp).toBeUndefined();
      // No trace of the GPS IFD or the camera in the bytes either.
      expect(content.bytes.includes(Buffer.from("E2E Camera"))).toBe(false);
      expect(content.bytes.includes(Buffer.from("Exif\0\0"))).toBe(false);
    }
  });

  it("applies the EXIF orientation: a sideways photo is stored upright", async () => {
    const image = await post(owner.client, {
      bytes: await sidewaysJpeg(),
      contentType: "image/jpeg",
      filename: "sideways.jpg",
    });
    expect([image.width, image.height]).toEqual([200, 400]);
    const original = (await api.content(image.id, "original")).bytes;
    const meta = await sharp(original).metadata();
    expect([meta.width, meta.height]).toEqual([200, 400]);
    expect(meta.orientation ?? 1).toBe(1);
    const [top, bottom] = [await colourAt(original, 100, 50), await colourAt(original, 100, 350)];
    expect(top[0]).toBeGreaterThan(200); // red on top
    expect(top[2]).toBeLessThan(60);
    expect(bottom[2]).toBeGreaterThan(200); // blue below
    expect(bottom[0]).toBeLessThan(60);
    const thumbnail = await sharp((await api.content(image.id, "thumbnail")).bytes).metadata();
    expect([thumbnail.width, thumbnail.height]).toEqual([160, 320]);
  });

  it("lets only its owner delete an image, and its files go with it", async () => {
    const image = await postPicture(owner.client, "going #away");
    expect((await api.content(image.id, "original")).status).toBe(200);

    expectProblem(await other.client.deleteImage(image.id), 403);
    expect((await other.client.image(image.id)).status).toBe(200);
    expectProblem(await api.deleteImage(image.id), 401);

    const deleted = await owner.client.deleteImage(image.id);
    expect(deleted.status, deleted.text).toBe(204);
    expectProblem(await owner.client.image(image.id), 404);
    for (const size of ["original", "thumbnail"] as const) {
      expect((await api.content(image.id, size)).status).toBe(404);
    }
    expectProblem(await owner.client.deleteImage(image.id), 404);
    expectProblem(await owner.client.deleteImage("0192f0a4-8b1c-7def-8123-456789abcdef"), 404);
  });
});
