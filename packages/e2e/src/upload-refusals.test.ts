import { beforeAll, describe, expect, it } from "vitest";
import { post, postPicture } from "./gallery.ts";
import { newPerson, type Person } from "./people.ts";
import { expectProblem } from "./problems.ts";
import { gateway } from "./stack.ts";
import { endlessJpegForm, streamUpload } from "./streamed-upload.ts";
import { picture, pngBomb } from "./test-images.ts";

const MiB = 1024 * 1024;

describe("uploads that are refused with a 4xx, never a 5xx", () => {
  const api = gateway();
  let person: Person;
  beforeAll(async () => {
    person = await newPerson(api, { prefix: "bad" });
  });

  function streamed(headers: Record<string, string>, maxBytes: number) {
    const boundary = `e2e-${Math.random().toString(36).slice(2)}`;
    return streamUpload(new URL("/v1/images", api.baseUrl).href, {
      headers: {
        "content-type": `multipart/form-data; boundary=${boundary}`,
        authorization: `Bearer ${person.tokens.accessToken}`,
        ...headers,
      },
      body: endlessJpegForm(boundary),
      maxBytes,
    });
  }

  it("refuses an empty file with 400", async () => {
    expectProblem(
      await person.client.upload({
        bytes: new Uint8Array(0),
        contentType: "image/jpeg",
        filename: "empty.jpg",
      }),
      400,
    );
  });

  it("refuses a form without a file with 400, and an upload without a token with 401", async () => {
    const form = new FormData();
    form.append("caption", "no file");
    const reply = await fetch(new URL("/v1/images", api.baseUrl), {
      method: "POST",
      headers: { authorization: `Bearer ${person.tokens.accessToken}` },
      body: form,
    });
    expect(reply.status).toBe(400);
    expect(reply.headers.get("content-type")).toMatch(/^application\/problem\+json/);
    expectProblem(await api.upload({ bytes: await picture("png", 8, 8), contentType: "image/png" }), 401);
  });

  it("refuses a truncated JPEG with 400 or 415", async () => {
    const whole = await picture("jpeg", 300, 200);
    const reply = await person.client.upload({
      bytes: whole.subarray(0, Math.floor(whole.length / 2)),
      contentType: "image/jpeg",
      filename: "half.jpg",
    });
    expect([400, 415], reply.text).toContain(reply.status);
    expectProblem(reply, reply.status);
  });

  it("judges the type by the bytes: text named .jpg and declared image/jpeg is 415", async () => {
    const text = new TextEncoder().encode("This is not a picture, whatever its name says.\n".repeat(20));
    expectProblem(
      await person.client.upload({ bytes: text, contentType: "image/jpeg", filename: "cat.jpg" }),
      415,
    );
    const svg = new TextEncoder().encode(
      '<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>',
    );
    expectProblem(
      await person.client.upload({ bytes: svg, contentType: "image/png", filename: "x.png" }),
      415,
    );
  });

  it("refuses a PNG whose header claims 100000×100000 pixels, quickly", async () => {
    const started = Date.now();
    const reply = await person.client.upload({
      bytes: pngBomb(),
      contentType: "image/png",
      filename: "bomb.png",
    });
    expect(reply.status, reply.text).toBeGreaterThanOrEqual(400);
    expect(reply.status).toBeLessThan(500);
    expectProblem(reply, reply.status);
    expect(Date.now() - started).toBeLessThan(10_000);
  });

  it("refuses a body streamed past 20 MiB with 413 once the limit is passed", {
    timeout: 120_000,
  }, async () => {
    const { reply, sent } = await streamed({}, 200 * MiB);
    expectProblem(reply, 413);
    expect(sent).toBeGreaterThan(20 * MiB);
    // Answered while the body was still coming, not after reading all of it.
    expect(sent).toBeLessThan(100 * MiB);
  });

  it("refuses a body declared as 2 GB with 413 before reading it", { timeout: 60_000 }, async () => {
    const { reply, sent } = await streamed({ "content-length": String(2 * 1024 * MiB) }, 2 * 1024 * MiB);
    expectProblem(reply, 413);
    // Unread: the client wrote only what the sockets' buffers took (the kernel here lets one
    // loopback connection hold up to 36 MiB: tcp_rmem 32 MiB + tcp_wmem 4 MiB).
    expect(sent).toBeLessThan(64 * MiB);
  });

  it("answers a 2 GB upload that expects 100-continue with 413 alone: no byte of the body is sent", {
    timeout: 60_000,
  }, async () => {
    const { reply, sent } = await streamed(
      { "content-length": String(2 * 1024 * MiB), expect: "100-continue" },
      2 * 1024 * MiB,
    );
    expectProblem(reply, 413);
    expect(sent).toBe(0);
  });

  it("refuses a caption over 2200 characters with 400, and takes one of exactly 2200", async () => {
    const bytes = await picture("png", 16, 16);
    const long = person.client.upload({ bytes, caption: "é".repeat(2201), contentType: "image/png" });
    expectProblem(await long, 400);
    const emoji = "📷".repeat(2201); // characters, not UTF-16 units or bytes, are counted
    expectProblem(await person.client.upload({ bytes, caption: emoji, contentType: "image/png" }), 400);
    const full = await post(person.client, { bytes, caption: "📷".repeat(2200), contentType: "image/png" });
    expect([...full.caption]).toHaveLength(2200);
  });

  it("still takes an ordinary upload after all that", async () => {
    const image = await postPicture(person.client, "all is well #fine");
    expect((await person.client.image(image.id)).status).toBe(200);
    expect((await api.content(image.id, "thumbnail")).status).toBe(200);
  });
});
