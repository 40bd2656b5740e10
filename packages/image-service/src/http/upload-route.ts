import { type AccessTokenVerifier, isUuid, KeySetUnavailable } from "@instagram/kit";
import type { Context, Hono } from "hono";
import { readCaption } from "../domain/caption.ts";
import { ImageError, uploadTooLarge } from "../domain/errors.ts";
import type { ImageStore } from "../images/image-deps.ts";
import { storeUpload } from "../images/upload.ts";
import type { ImageProcessor, ReceivedImage } from "../processing/image-processor.ts";
import { imageJsonOf } from "./image-json.ts";
import { boundaryOf, readMultipart } from "./multipart.ts";
import { problem, problemOf } from "./problem.ts";

export const UPLOAD_PATH = "/internal/v1/uploads";

/** Room for a multipart body's boundaries, part headers and caption beyond the file itself. */
const MULTIPART_ALLOWANCE = 64 * 1024;
/** 2200 characters of at most 4 UTF-8 bytes each, with room to spare. */
const MAX_CAPTION_BYTES = 16 * 1024;

export interface UploadRouteDeps {
  store: ImageStore;
  processor: ImageProcessor;
  verifier: AccessTokenVerifier;
  maxUploadBytes: number;
}

/**
 * POST /internal/v1/uploads — the gateway streams the client's upload here, unread:
 * - `multipart/form-data` (the client's body as is): parts `file` and optional `caption`; or
 * - any other content type: the body IS the file; the caption in `x-caption` (percent-encoded)
 *   or `?caption=`.
 * The caller's `Authorization: Bearer` token is verified here (a bare user id is never trusted).
 * The file streams to a scratch file (counting bytes, 413 once over the limit, 415 as soon as its
 * first bytes are no accepted image) and is decoded from there: never held whole in memory.
 * Answers 201 with the Image JSON of API.md.
 */
export function mountUploadRoute(app: Hono, deps: UploadRouteDeps): void {
  app.post(UPLOAD_PATH, async (c) => {
    const caller = await authenticate(c.req.header("authorization"), deps.verifier);
    if (caller instanceof Response) return caller;

    const boundary = boundaryOf(c.req.header("content-type"));
    const allowed = deps.maxUploadBytes + (boundary === undefined ? 0 : MULTIPART_ALLOWANCE);
    const declared = Number(c.req.header("content-length"));
    if (declared > allowed) return problemOf(uploadTooLarge(deps.maxUploadBytes)) as Response;
    const body = c.req.raw.body && metered(c.req.raw.body, allowed, deps.maxUploadBytes);

    let image: ReceivedImage | undefined;
    try {
      let captionText: string | undefined;
      if (boundary !== undefined) {
        if (body === null) throw new ImageError("invalid-input", "the form has no file part");
        for await (const part of readMultipart(body, boundary)) {
          if (part.name === "caption") {
            captionText = await readText(part.body, MAX_CAPTION_BYTES);
            readCaption(captionText); // refuse a bad caption before reading the file
          } else if (part.name === "file") {
            if (image !== undefined) throw new ImageError("invalid-input", "send one file per upload");
            image = await deps.processor.receive(part.body, { maxBytes: deps.maxUploadBytes });
          }
        }
        if (image === undefined) throw new ImageError("invalid-input", "the form has no file part");
      } else {
        captionText = captionOf(c);
        readCaption(captionText);
        if (body === null) throw new ImageError("empty-upload", "the file is empty");
        image = await deps.processor.receive(body, { maxBytes: deps.maxUploadBytes });
      }
      const record = await storeUpload(deps.store, {
        ownerId: caller,
        caption: readCaption(captionText),
        image,
      });
      return c.json(imageJsonOf(record), 201, { location: `/v1/images/${record.id}` });
    } catch (error) {
      const answer = problemOf(error);
      if (answer === undefined) throw error;
      return answer;
    } finally {
      await image?.discard();
    }
  });
}

async function authenticate(
  header: string | undefined,
  verifier: AccessTokenVerifier,
): Promise<string | Response> {
  const token = header === undefined ? undefined : /^Bearer +(\S+) *$/i.exec(header)?.[1];
  if (token === undefined) return problem(401, "Unauthorized", "an access token is required");
  try {
    const { subject } = await verifier.verify(token);
    if (!isUuid(subject)) return problem(401, "Unauthorized", "the access token names no account");
    return subject;
  } catch (error) {
    if (error instanceof KeySetUnavailable)
      return problem(503, "Service Unavailable", "cannot verify tokens now");
    return problem(401, "Unauthorized", "the access token is not valid");
  }
}

function captionOf(c: Context): string | undefined {
  const header = c.req.header("x-caption");
  if (header === undefined) return c.req.query("caption");
  try {
    return decodeURIComponent(header);
  } catch {
    throw new ImageError("invalid-input", "x-caption must be percent-encoded UTF-8");
  }
}

/** Reads a small text part, refusing it past `maxBytes` without buffering more. */
async function readText(stream: ReadableStream<Uint8Array>, maxBytes: number): Promise<string> {
  const reader = stream.getReader();
  const decoder = new TextDecoder("utf-8", { fatal: true });
  let text = "";
  let size = 0;
  try {
    for (let next = await reader.read(); !next.done; next = await reader.read()) {
      size += next.value.byteLength;
      if (size > maxBytes)
        throw new ImageError("caption-too-long", "the caption is longer than 2200 characters");
      text += decoder.decode(next.value, { stream: true });
    }
    return text + decoder.decode();
  } catch (error) {
    await reader.cancel().catch(() => {});
    if (error instanceof TypeError) throw new ImageError("invalid-input", "the caption is not UTF-8 text");
    throw error;
  } finally {
    reader.releaseLock();
  }
}

/**
 * The request body, failing with upload-too-large once more than `allowed` bytes came through,
 * and with a 400 when the client's stream breaks (a dropped connection is not a server error).
 */
function metered(
  body: ReadableStream<Uint8Array>,
  allowed: number,
  maxUploadBytes: number,
): ReadableStream<Uint8Array> {
  const reader = body.getReader();
  let seen = 0;
  return new ReadableStream<Uint8Array>(
    {
      async pull(controller) {
        let next: ReadableStreamReadResult<Uint8Array>;
        try {
          next = await reader.read();
        } catch {
          controller.error(new ImageError("invalid-input", "the upload was interrupted"));
          return;
        }
        if (next.done) return controller.close();
        seen += next.value.byteLength;
        if (seen > allowed) {
          controller.error(uploadTooLarge(maxUploadBytes));
          await reader.cancel().catch(() => {});
        } else {
          controller.enqueue(next.value);
        }
      },
      cancel: (reason) => reader.cancel(reason),
    },
    { highWaterMark: 0 },
  );
}
