import { describe, expect, it } from "vitest";
import { boundaryOf, MultipartError, type MultipartPart, readMultipart } from "./multipart.ts";

const encoder = new TextEncoder();

function chunked(bytes: Uint8Array, sizes: (index: number) => number): ReadableStream<Uint8Array> {
  let offset = 0;
  let index = 0;
  return new ReadableStream({
    pull(controller) {
      if (offset >= bytes.length) return controller.close();
      const size = Math.max(1, sizes(index++));
      controller.enqueue(bytes.slice(offset, offset + size));
      offset += size;
    },
  });
}

async function formBody(form: FormData): Promise<{ bytes: Uint8Array; boundary: string }> {
  const response = new Response(form);
  const boundary = boundaryOf(response.headers.get("content-type") ?? "");
  if (boundary === undefined) throw new Error("no boundary");
  return { bytes: new Uint8Array(await response.arrayBuffer()), boundary };
}

async function collect(
  body: ReadableStream<Uint8Array>,
  boundary: string,
): Promise<{ name: string; filename?: string; type?: string; text: string; size: number }[]> {
  const parts = [];
  for await (const part of readMultipart(body, boundary)) {
    const bytes = new Uint8Array(await new Response(part.body).arrayBuffer());
    parts.push({
      name: part.name,
      ...(part.filename === undefined ? {} : { filename: part.filename }),
      ...(part.contentType === undefined ? {} : { type: part.contentType }),
      text: new TextDecoder().decode(bytes),
      size: bytes.length,
    });
  }
  return parts;
}

describe("boundaryOf", () => {
  it("reads quoted and bare boundaries of form-data only", () => {
    expect(boundaryOf("multipart/form-data; boundary=abc123")).toBe("abc123");
    expect(boundaryOf('Multipart/Form-Data; charset=utf-8; boundary="a b:c"')).toBe("a b:c");
    expect(boundaryOf("multipart/mixed; boundary=abc")).toBeUndefined();
    expect(boundaryOf("image/jpeg")).toBeUndefined();
    expect(boundaryOf(undefined)).toBeUndefined();
  });
});

describe("readMultipart", () => {
  it("reads fields and files of a browser-made form, whatever the chunking", async () => {
    const file = new Uint8Array(70_000).map((_, i) => (i * 7) % 256);
    // bytes that look like a boundary start inside the content
    file.set(encoder.encode("\r\n--\r\n--not-the-boundary\r\n"), 1000);
    const form = new FormData();
    form.set("caption", "Hello #World 👋\r\nsecond line");
    form.set("file", new File([file], "photo.jpg", { type: "image/jpeg" }));
    const { bytes, boundary } = await formBody(form);

    for (const sizes of [() => 1, () => 7, (i: number) => (i * 131) % 977, () => 65_536]) {
      const parts = await collect(chunked(bytes, sizes), boundary);
      expect(parts.map((part) => [part.name, part.filename, part.type, part.size])).toEqual([
        ["caption", undefined, undefined, encoder.encode("Hello #World 👋\r\nsecond line").length],
        ["file", "photo.jpg", "image/jpeg", file.length],
      ]);
      expect(parts[0]?.text).toBe("Hello #World 👋\r\nsecond line");
    }
  });

  it("gives the exact file bytes", async () => {
    const file = crypto.getRandomValues(new Uint8Array(50_000));
    const form = new FormData();
    form.set("file", new File([file], "x.bin"));
    const { bytes, boundary } = await formBody(form);
    for await (const part of readMultipart(
      chunked(bytes, (i) => 100 + i),
      boundary,
    )) {
      const got = new Uint8Array(await new Response(part.body).arrayBuffer());
      expect(got).toEqual(file);
    }
  });

  it("skips a part left unread, a preamble and an epilogue", async () => {
    const raw = [
      "preamble to ignore\r\n",
      "--XyZ\r\n",
      'Content-Disposition: form-data; name="skipped"\r\n\r\n',
      "not read at all\r\n",
      "--XyZ  \r\n", // transport padding
      'Content-Disposition: form-data; name="kept"; filename="a \\"q\\".txt"\r\n',
      "Content-Type: text/plain\r\n\r\n",
      "kept text",
      "\r\n--XyZ--\r\nepilogue",
    ].join("");
    const names: string[] = [];
    let kept = "";
    for await (const part of readMultipart(
      chunked(encoder.encode(raw), () => 5),
      "XyZ",
    )) {
      names.push(part.name);
      if (part.name === "kept") {
        kept = await new Response(part.body).text();
        expect(part.filename).toBe('a "q".txt');
      }
    }
    expect(names).toEqual(["skipped", "kept"]);
    expect(kept).toBe("kept text");
  });

  it("fails on a body cut off inside a part", async () => {
    const raw = '--b\r\nContent-Disposition: form-data; name="file"\r\n\r\nhalf a fi';
    await expect(
      collect(
        chunked(encoder.encode(raw), () => 3),
        "b",
      ),
    ).rejects.toBeInstanceOf(MultipartError);
  });

  it("fails on a body without the boundary and on a part without a name", async () => {
    await expect(
      collect(
        chunked(encoder.encode("just text"), () => 4),
        "b",
      ),
    ).rejects.toBeInstanceOf(MultipartError);
    const nameless = "--b\r\nContent-Type: text/plain\r\n\r\nx\r\n--b--";
    await expect(
      collect(
        chunked(encoder.encode(nameless), () => 4),
        "b",
      ),
    ).rejects.toBeInstanceOf(MultipartError);
  });

  it("refuses endless headers without buffering them", async () => {
    let sent = 0;
    const endless = new ReadableStream<Uint8Array>({
      pull(controller) {
        sent += 1024;
        controller.enqueue(
          sent === 1024 ? encoder.encode("--b\r\nX-Long: ".padEnd(1024, "a")) : new Uint8Array(1024).fill(97),
        );
      },
    });
    await expect(collect(endless, "b")).rejects.toThrow("too long");
    expect(sent).toBeLessThan(64 * 1024);
  });

  it("streams a part before its end has arrived", async () => {
    let push: ((bytes: Uint8Array) => void) | undefined;
    const body = new ReadableStream<Uint8Array>({
      start(controller) {
        push = (bytes) => controller.enqueue(bytes);
      },
    });
    push?.(encoder.encode('--b\r\nContent-Disposition: form-data; name="file"\r\n\r\n'));
    push?.(new Uint8Array(10_000).fill(1));
    const parts = readMultipart(body, "b");
    const first = (await parts.next()).value as MultipartPart;
    const reader = first.body.getReader();
    const chunk = await reader.read();
    expect(chunk.value?.length).toBeGreaterThan(9_000);
    await parts.return();
  });
});
