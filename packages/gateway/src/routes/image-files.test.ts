import { describe, expect, it } from "vitest";
import { PNG_SIGNATURE } from "../testing/fake-images.ts";
import { createTestbed, problemOf } from "../testing/testbed.ts";

const MiB = 1024 * 1024;
const CHUNK = 64 * 1024;

/** A multipart body serialised up front, so that it can carry a content-length. */
async function multipart(parts: Record<string, string | Blob>): Promise<{ body: Uint8Array; type: string }> {
  const form = new FormData();
  for (const [name, value] of Object.entries(parts)) form.append(name, value);
  const encoded = new Response(form);
  return {
    body: new Uint8Array(await encoded.arrayBuffer()),
    type: encoded.headers.get("content-type") ?? "",
  };
}

/** A body made chunk by chunk only as it is read; `produced` counts what was handed out. */
function lazyBody(totalBytes: number) {
  const state = { produced: 0 };
  const stream = new ReadableStream<Uint8Array>(
    {
      pull(controller) {
        if (state.produced >= totalBytes) return controller.close();
        const size = Math.min(CHUNK, totalBytes - state.produced);
        state.produced += size;
        controller.enqueue(new Uint8Array(size));
      },
    },
    { highWaterMark: 0 },
  );
  return { stream, state };
}

const png = () => new Blob([PNG_SIGNATURE, new Uint8Array(100)], { type: "image/png" });

function tooLarge(): Response {
  return Response.json(
    {
      type: "about:blank",
      title: "Content Too Large",
      status: 413,
      detail: "the file is larger than 20 MiB",
    },
    { status: 413, headers: { "content-type": "application/problem+json" } },
  );
}

describe("POST /v1/images", () => {
  it("passes the upload through and answers image-service's 201 as it is", async () => {
    const gateway = await createTestbed();
    const alice = await gateway.signedUp("alice");
    const { body, type } = await multipart({ caption: "Hello #World", file: png() });
    const response = await gateway.request("/v1/images", {
      method: "POST",
      token: alice.authorization,
      headers: {
        "content-type": type,
        "content-length": String(body.length),
        traceparent: "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01",
        "x-request-id": "req-42",
        cookie: "session=not-forwarded",
      },
      body: body as Uint8Array<ArrayBuffer>,
    });
    expect(response.status).toBe(201);
    const image = gateway.world.images[0];
    expect(response.headers.get("location")).toBe(`/v1/images/${image?.id}`);
    expect(response.headers.get("content-type")).toContain("application/json");
    expect(await response.json()).toMatchObject({
      id: image?.id,
      owner: { id: alice.account.id, username: "alice" },
      caption: "Hello #World",
      hashtags: ["world"],
      urls: { original: `/v1/images/${image?.id}/content?size=original` },
    });

    const [sent] = gateway.fileRequests;
    expect(sent?.url).toBe("http://image.test:8083/internal/v1/uploads");
    expect(sent?.method).toBe("POST");
    expect(sent?.body).toBeInstanceOf(ReadableStream);
    expect(Object.fromEntries(sent?.headers ?? [])).toEqual({
      "content-type": type,
      "content-length": String(body.length),
      authorization: alice.authorization,
      traceparent: "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01",
      "x-request-id": "req-42",
    });
  });

  it("passes a form without content-length (chunked) through", async () => {
    const gateway = await createTestbed();
    const alice = await gateway.signedUp("alice");
    const form = new FormData();
    form.append("file", png());
    const response = await gateway.request("/v1/images", {
      method: "POST",
      token: alice.authorization,
      body: form,
    });
    expect(response.status).toBe(201);
    expect(gateway.fileRequests[0]?.headers.get("content-type")).toMatch(/^multipart\/form-data; boundary=/);
    expect(gateway.fileRequests[0]?.headers.has("content-length")).toBe(false);
  });

  it.each([
    [415, "a file that is no image", { file: new Blob(["GIF? no, plain text"]) }, "file"],
    [400, "a caption over 2200 characters", { caption: "x".repeat(2201), file: png() }, "caption"],
    [400, "a form without a file", { caption: "only words" }, "file"],
  ])("passes image-service's %i for %s through", async (status, _what, parts, field) => {
    const gateway = await createTestbed();
    const alice = await gateway.signedUp("alice");
    const { body, type } = await multipart(parts);
    const response = await gateway.request("/v1/images", {
      method: "POST",
      token: alice.authorization,
      headers: { "content-type": type },
      body: body as Uint8Array<ArrayBuffer>,
    });
    expect(response.status).toBe(status);
    expect((await problemOf(response)).errors?.[0]?.path).toBe(field);
    expect(gateway.world.images).toEqual([]);
  });

  it("streams a 30 MiB body to image-service chunk by chunk, past the JSON body limit, and passes its 413 on", async () => {
    const { stream, state } = lazyBody(30 * MiB);
    let received = 0;
    let mostAhead = 0;
    const gateway = await createTestbed({
      maxJsonBodyBytes: 64 * 1024,
      async imageFiles(request) {
        const reader = (request.body as ReadableStream<Uint8Array>).getReader();
        for (let next = await reader.read(); !next.done; next = await reader.read()) {
          received += next.value.byteLength;
          mostAhead = Math.max(mostAhead, state.produced - received);
        }
        return tooLarge();
      },
    });
    const alice = await gateway.signedUp("alice");
    const response = await gateway.request("/v1/images", {
      method: "POST",
      token: alice.authorization,
      headers: { "content-type": "multipart/form-data; boundary=lazy" },
      body: stream,
      duplex: "half",
    } as RequestInit);
    expect(response.status).toBe(413);
    expect(await problemOf(response)).toMatchObject({
      status: 413,
      detail: "the file is larger than 20 MiB",
    });
    expect(received).toBe(30 * MiB);
    // Never more than a chunk was taken from the client before image-service had it.
    expect(mostAhead).toBeLessThanOrEqual(CHUNK);
    expect(gateway.fileRequests[0]?.body).toBeInstanceOf(ReadableStream);
  });

  it("does not read the body itself: image-service refusing at once leaves it untouched", async () => {
    const { stream, state } = lazyBody(30 * MiB);
    // A limit above the declared length: image-service, not the gateway, refuses.
    const gateway = await createTestbed({ imageFiles: async () => tooLarge(), maxUploadBytes: 64 * MiB });
    const alice = await gateway.signedUp("alice");
    const response = await gateway.request("/v1/images", {
      method: "POST",
      token: alice.authorization,
      headers: { "content-type": "multipart/form-data; boundary=lazy", "content-length": String(30 * MiB) },
      body: stream,
      duplex: "half",
    } as RequestInit);
    expect(response.status).toBe(413);
    expect(gateway.fileRequests).toHaveLength(1);
    expect(state.produced).toBeLessThanOrEqual(CHUNK);
  });

  it("refuses a declared length over MAX_UPLOAD_BYTES and the form's allowance itself, relaying nothing", async () => {
    const gateway = await createTestbed({ maxUploadBytes: 20 * MiB });
    const alice = await gateway.signedUp("alice");
    const upload = (length: number) =>
      gateway.request("/v1/images", {
        method: "POST",
        token: alice.authorization,
        headers: { "content-type": "multipart/form-data; boundary=lazy", "content-length": String(length) },
        body: lazyBody(length).stream,
        duplex: "half",
      } as RequestInit);
    const refused = await upload(20 * MiB + 64 * 1024 + 1);
    expect(refused.status).toBe(413);
    expect(refused.headers.get("connection")).toBe("close");
    expect(await problemOf(refused)).toMatchObject({
      status: 413,
      detail: `The upload exceeds ${20 * MiB} bytes.`,
    });
    expect(gateway.fileRequests).toEqual([]);
    // At the allowance exactly, image-service decides.
    await upload(20 * MiB + 64 * 1024);
    expect(gateway.fileRequests).toHaveLength(1);
  });

  it("answers 405 with Allow to another method on the upload address", async () => {
    const gateway = await createTestbed();
    const response = await gateway.request("/v1/images");
    expect(response.status).toBe(405);
    expect(response.headers.get("allow")).toBe("POST");
  });

  it("checks the token before anything reaches image-service", async () => {
    const gateway = await createTestbed();
    const { body, type } = await multipart({ file: png() });
    const anonymous = await gateway.request("/v1/images", {
      method: "POST",
      headers: { "content-type": type },
      body: body as Uint8Array<ArrayBuffer>,
    });
    expect(anonymous.status).toBe(401);
    expect(anonymous.headers.get("www-authenticate")).toContain("Bearer");
    const forged = await gateway.request("/v1/images", {
      method: "POST",
      token: "Bearer not.a.token",
      headers: { "content-type": type },
      body: body as Uint8Array<ArrayBuffer>,
    });
    expect(forged.status).toBe(401);
    expect(gateway.fileRequests).toEqual([]);
  });

  it("answers image-service's own 401 with a Bearer challenge", async () => {
    const gateway = await createTestbed({
      imageFiles: async () =>
        Response.json(
          { type: "about:blank", title: "Unauthorized", status: 401, detail: "the account is gone" },
          { status: 401, headers: { "content-type": "application/problem+json" } },
        ),
    });
    const alice = await gateway.signedUp("alice");
    const response = await gateway.request("/v1/images", {
      method: "POST",
      token: alice.authorization,
      headers: { "content-type": "multipart/form-data; boundary=x" },
    });
    expect(response.status).toBe(401);
    expect(response.headers.get("www-authenticate")).toContain("Bearer");
    expect((await problemOf(response)).detail).toBe("the account is gone");
  });

  it("answers 503 without internals when image-service cannot be reached or there is none", async () => {
    const unreachable = await createTestbed({
      imageFiles: async () => {
        throw new TypeError("fetch failed: connect ECONNREFUSED image-service.internal:8083");
      },
    });
    const alice = await unreachable.signedUp("alice");
    const refused = await unreachable.request("/v1/images", {
      method: "POST",
      token: alice.authorization,
      headers: { "content-type": "multipart/form-data; boundary=x" },
    });
    expect(refused.status).toBe(503);
    expect(JSON.stringify(await problemOf(refused))).not.toContain("image-service.internal");

    const none = await createTestbed({ imageInstance: async () => undefined });
    const bob = await none.signedUp("bob");
    const nobody = await none.request("/v1/images", {
      method: "POST",
      token: bob.authorization,
      headers: { "content-type": "multipart/form-data; boundary=x" },
    });
    expect(nobody.status).toBe(503);
    expect(none.fileRequests).toEqual([]);
  });

  it("never passes image-service's 5xx body on", async () => {
    const gateway = await createTestbed({
      imageFiles: async () => new Response("Error: ENOSPC at /var/lib/images/blobs", { status: 500 }),
    });
    const alice = await gateway.signedUp("alice");
    const response = await gateway.request("/v1/images", {
      method: "POST",
      token: alice.authorization,
      headers: { "content-type": "multipart/form-data; boundary=x" },
    });
    expect(response.status).toBe(500);
    expect(JSON.stringify(await problemOf(response))).not.toContain("ENOSPC");
  });
  it.each([
    ["no content type", undefined, 415],
    ["a raw image", "image/png", 415],
    ["JSON", "application/json", 415],
    ["a urlencoded form", "application/x-www-form-urlencoded", 415],
    ["multipart with no boundary", "multipart/form-data", 400],
    ["multipart with an empty boundary", "multipart/form-data; boundary=", 400],
    ["multipart with a boundary over 70 characters", `multipart/form-data; boundary=${"b".repeat(71)}`, 400],
  ])("refuses %s as an upload, before image-service sees it", async (_case, contentType, status) => {
    const gateway = await createTestbed();
    const alice = await gateway.signedUp("alice");
    const response = await gateway.request("/v1/images", {
      method: "POST",
      token: alice.authorization,
      headers: contentType === undefined ? {} : { "content-type": contentType },
      body: png(),
    });
    expect(response.status).toBe(status);
    await problemOf(response);
    expect(gateway.fileRequests).toEqual([]);
  });

  it("takes multipart/form-data with a quoted boundary and other parameters", async () => {
    const gateway = await createTestbed();
    const alice = await gateway.signedUp("alice");
    await gateway.request("/v1/images", {
      method: "POST",
      token: alice.authorization,
      headers: { "content-type": 'Multipart/Form-Data; charset=utf-8; boundary="a b"' },
      body: "--a b--\r\n",
    });
    // Passed on to image-service (which judges the form itself).
    expect(gateway.fileRequests).toHaveLength(1);
    expect(gateway.fileRequests[0]?.headers.get("content-type")).toBe(
      'Multipart/Form-Data; charset=utf-8; boundary="a b"',
    );
  });
});

describe("GET /v1/images/{id}/content", () => {
  it("streams the file with its caching headers, without a token", async () => {
    const gateway = await createTestbed();
    const bob = await gateway.signedUp("bob");
    const image = gateway.posted(bob.account);
    const response = await gateway.request(`/v1/images/${image.id}/content?size=original`);
    expect(response.status).toBe(200);
    expect(new Uint8Array(await response.arrayBuffer())).toEqual(image.bytes);
    expect(Object.fromEntries(response.headers)).toMatchObject({
      "content-type": "image/png",
      "content-length": String(image.bytes.length),
      etag: `"${image.id}-original"`,
      "cache-control": "public, max-age=31536000, immutable",
      "x-content-type-options": "nosniff",
    });
    expect(response.headers.has("x-internal-detail")).toBe(false);
    expect(gateway.fileRequests[0]?.url).toBe(
      `http://image.test:8083/v1/images/${image.id}/content?size=original`,
    );
    expect(gateway.fileRequests[0]?.headers.has("authorization")).toBe(false);
  });

  it("serves the thumbnail, and the original when no size is given", async () => {
    const gateway = await createTestbed();
    const bob = await gateway.signedUp("bob");
    const image = gateway.posted(bob.account);
    const thumbnail = await gateway.request(`/v1/images/${image.id}/content?size=thumbnail`);
    expect(thumbnail.headers.get("etag")).toBe(`"${image.id}-thumbnail"`);
    const plain = await gateway.request(`/v1/images/${image.id}/content`);
    expect(plain.headers.get("etag")).toBe(`"${image.id}-original"`);
  });

  it("passes 304 on when If-None-Match matches", async () => {
    const gateway = await createTestbed();
    const bob = await gateway.signedUp("bob");
    const image = gateway.posted(bob.account);
    const etag = `"${image.id}-original"`;
    const response = await gateway.request(`/v1/images/${image.id}/content?size=original`, {
      headers: { "if-none-match": etag },
    });
    expect(response.status).toBe(304);
    expect(response.headers.get("etag")).toBe(etag);
    expect(response.headers.get("cache-control")).toBe("public, max-age=31536000, immutable");
    expect(await response.text()).toBe("");
    expect(gateway.fileRequests[0]?.headers.get("if-none-match")).toBe(etag);
    const stale = await gateway.request(`/v1/images/${image.id}/content?size=original`, {
      headers: { "if-none-match": '"something-else"' },
    });
    expect(stale.status).toBe(200);
  });

  it("answers HEAD with the headers only", async () => {
    const gateway = await createTestbed();
    const bob = await gateway.signedUp("bob");
    const image = gateway.posted(bob.account);
    const response = await gateway.request(`/v1/images/${image.id}/content`, { method: "HEAD" });
    expect(response.status).toBe(200);
    expect(response.headers.get("etag")).toBe(`"${image.id}-original"`);
    expect(await response.text()).toBe("");
  });

  it("passes image-service's 404 on, and refuses a bad size itself", async () => {
    const gateway = await createTestbed();
    const unknown = await gateway.request("/v1/images/img-404/content");
    expect(unknown.status).toBe(404);
    expect((await problemOf(unknown)).status).toBe(404);
    const bad = await gateway.request("/v1/images/img-1/content?size=huge");
    expect(bad.status).toBe(400);
    expect((await problemOf(bad)).errors?.[0]?.path).toBe("size");
    expect(gateway.fileRequests.map((r) => r.url)).toEqual([
      "http://image.test:8083/v1/images/img-404/content?size=original",
    ]);
  });
});
