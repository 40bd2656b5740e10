import { imageRepresentationOf } from "@instagram/contracts/image-representation";
import { largestUploadBody } from "@instagram/contracts/upload-body";
import {
  type AccessTokenVerifier,
  DomainError,
  IDEMPOTENCY_KEY_HEADER,
  isUuid,
  KeySetUnavailable,
  problemResponseOf,
  readIdempotencyKey,
} from "@instagram/kit";
import type { Context, Hono } from "hono";
import { MAX_CAPTION_CHARS, readCaption } from "../domain/caption.ts";
import { badRequest, captionTooLong, emptyUpload, uploadTooLarge } from "../domain/errors.ts";
import type { ImageProcessor, ReceivedImage } from "../processing/image-processor.ts";
import { imageMessageOf } from "../rpc/image-message.ts";
import type { ImageStore } from "../use-cases/image-store.ts";
import { storeUpload } from "../use-cases/upload.ts";
import { boundaryOf, readMultipart } from "./multipart.ts";

export const UPLOAD_PATH = "/internal/v1/uploads";

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
 * Answers 201 with the Image JSON of API.md; a refusal as problem+json (the kit's statuses: 413 and
 * 415 from the too-large and unsupported-media-type refusals).
 */
export function mountUploadRoute(app: Hono, deps: UploadRouteDeps): void {
  app.post(UPLOAD_PATH, async (c) => {
    let image: ReceivedImage | undefined;
    try {
      const caller = await authenticate(c.req.header("authorization"), deps.verifier);
      const idempotencyKey = readIdempotencyKey(c.req.header(IDEMPOTENCY_KEY_HEADER));
      const boundary = boundaryOf(c.req.header("content-type"));
      const allowed = largestUploadBody(deps.maxUploadBytes, boundary === undefined ? "raw" : "multipart");
      const declared = Number(c.req.header("content-length"));
      if (declared > allowed) throw uploadTooLarge(deps.maxUploadBytes);
      const body = c.req.raw.body && metered(c.req.raw.body, allowed, deps.maxUploadBytes);

      let captionText: string | undefined;
      if (boundary !== undefined) {
        if (body === null) throw badRequest("the form has no file part");
        for await (const part of readMultipart(body, boundary)) {
          if (part.name === "caption") {
            captionText = await readText(part.body, MAX_CAPTION_BYTES);
            readCaption(captionText); // refuse a bad caption before reading the file
          } else if (part.name === "file") {
            if (image !== undefined) throw badRequest("send one file per upload");
            image = await deps.processor.receive(part.body, { maxBytes: deps.maxUploadBytes });
          }
        }
        if (image === undefined) throw badRequest("the form has no file part");
      } else {
        captionText = captionOf(c);
        readCaption(captionText);
        if (body === null) throw emptyUpload();
        image = await deps.processor.receive(body, { maxBytes: deps.maxUploadBytes });
      }
      const record = await storeUpload(deps.store, {
        ownerId: caller,
        caption: readCaption(captionText),
        image,
        idempotencyKey,
      });
      return c.json(imageRepresentationOf(imageMessageOf(record)), 201, {
        location: `/v1/images/${record.id}`,
      });
    } catch (error) {
      return problemResponseOf(error, deps.store.logger);
    } finally {
      await image?.discard();
    }
  });
}

/** The account the bearer token names. */
async function authenticate(header: string | undefined, verifier: AccessTokenVerifier): Promise<string> {
  const token = header === undefined ? undefined : /^Bearer +(\S+) *$/i.exec(header)?.[1];
  if (token === undefined) throw new DomainError("unauthenticated", "an access token is required");
  let subject: string;
  try {
    ({ subject } = await verifier.verify(token));
  } catch (error) {
    if (error instanceof KeySetUnavailable)
      throw new DomainError("unavailable", "cannot verify tokens now", { cause: error });
    throw new DomainError("unauthenticated", "the access token is not valid", { cause: error });
  }
  if (!isUuid(subject)) throw new DomainError("unauthenticated", "the access token names no account");
  return subject;
}

function captionOf(c: Context): string | undefined {
  const header = c.req.header("x-caption");
  if (header === undefined) return c.req.query("caption");
  try {
    return decodeURIComponent(header);
  } catch {
    throw badRequest("x-caption must be percent-encoded UTF-8");
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
      if (size > maxBytes) throw captionTooLong(MAX_CAPTION_CHARS);
      text += decoder.decode(next.value, { stream: true });
    }
    return text + decoder.decode();
  } catch (error) {
    await reader.cancel().catch(() => {});
    if (error instanceof TypeError) throw badRequest("the caption is not UTF-8 text");
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
          controller.error(badRequest("the upload was interrupted"));
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
