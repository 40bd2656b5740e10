import { z } from "@hono/zod-openapi";
import { HttpProblem, injectTraceHeaders } from "@instagram/kit";
import type { Context, MiddlewareHandler } from "hono";
import { every } from "hono/combine";
import { type ImageServiceHttp, RelayFailure } from "../peers/image-service-http.ts";
import { UpstreamWait, watchedBody } from "../peers/upstream-wait.ts";
import { governedRoute } from "../policy/rest.ts";
import type { GatewayApp, RouteDeps } from "./context.ts";
import { acceptedIdempotencyKey, IdempotencyHeadersSchema } from "./idempotency-key.ts";
import { ImageIdParamSchema, ImageSchema, problemAnswer } from "./schemas.ts";

/** The one route whose body is not JSON: it streams through, so no body limit may read it. */
export const UPLOAD_PATH = "/v1/images";

const uploadHeaders = [
  "content-type",
  "content-length",
  "authorization",
  "idempotency-key",
  "traceparent",
  "x-request-id",
];
const uploadAnswerHeaders = ["content-type", "content-length", "location", "retry-after", "www-authenticate"];
const contentHeaders = ["if-none-match", "traceparent", "x-request-id"];
const contentAnswerHeaders = [
  "content-type",
  "content-length",
  "etag",
  "cache-control",
  "x-content-type-options",
];

/** Described for the document only: a zod schema here would make the route parse (and buffer) the form. */
const uploadForm = {
  type: "object" as const,
  required: ["file"],
  properties: {
    file: {
      type: "string" as const,
      format: "binary",
      description: "JPEG, PNG, WebP or GIF (judged by its bytes), at most 20 MiB.",
    },
    caption: {
      type: "string" as const,
      maxLength: 2200,
      description: "Up to 2200 characters; #hashtags and @mentions are read from it.",
    },
  },
};

const binary = { schema: { type: "string" as const, format: "binary" } };

const ContentQuerySchema = z.object({
  size: z
    .enum(["original", "thumbnail"])
    .default("original")
    .openapi({
      param: { name: "size", in: "query" },
      description: "`thumbnail` is at most 320 px on its longer side.",
    }),
});

const ContentHeadersSchema = z.object({
  "if-none-match": z
    .string()
    .optional()
    .openapi({
      param: { name: "if-none-match", in: "header" },
      description: "An ETag from an earlier answer.",
    }),
});

/** A request to image-service: the client's body streams along (uploads) or there is none. */
interface Forwarded {
  method: "GET" | "HEAD" | "POST";
  headers: Headers;
}

function forwarded(from: Headers, names: string[]): Headers {
  const headers = new Headers();
  for (const name of names) {
    const value = from.get(name);
    if (value !== null) headers.set(name, value);
  }
  // With tracing on, image-service's span hangs under the gateway's; otherwise the client's traceparent stays.
  injectTraceHeaders(headers);
  return headers;
}

const unavailable = "The image service is unavailable; try again shortly.";

interface Wait {
  ms: number;
  slowDetail: string;
}

async function instanceOf(files: ImageServiceHttp): Promise<string> {
  let base: string | undefined;
  try {
    base = await files.instance();
  } catch (error) {
    throw new HttpProblem(503, unavailable, { cause: error });
  }
  if (base === undefined) throw new HttpProblem(503, unavailable);
  return base;
}

/** A relay's failure as the fetch path would answer it. */
function problemOfRelay(error: unknown, wait: Wait): never {
  if (!(error instanceof RelayFailure)) throw error;
  switch (error.kind) {
    case "slow":
      throw new HttpProblem(504, wait.slowDetail, { cause: error });
    case "client-gone":
      throw new HttpProblem(499, "The request was canceled.");
    case "unreachable":
      throw new HttpProblem(503, unavailable, { cause: error });
  }
}

/**
 * Sends one request to an image-service instance: an unreachable one is a 503, one that keeps the
 * gateway waiting longer than `wait.ms` at a stretch (see UpstreamWait) a 504 with its `slowDetail`.
 */
async function reach(
  files: ImageServiceHttp,
  c: Context,
  path: string,
  forward: Forwarded,
  wait: Wait,
): Promise<Response> {
  const url = new URL(path, await instanceOf(files));
  const upload = forward.method === "POST";
  const relayed = upload
    ? files.uploads?.send(c.env, { url, headers: forward.headers, waitMs: wait.ms })
    : undefined;
  if (relayed !== undefined) return await relayed.catch((error: unknown) => problemOfRelay(error, wait));
  const client = c.req.raw.signal;
  const gaveUp = new AbortController();
  const upstream = new UpstreamWait(wait.ms, () =>
    gaveUp.abort(new Error(`image-service kept the gateway waiting over ${wait.ms} ms`)),
  );
  const body = upload && c.req.raw.body ? watchedBody(c.req.raw.body, upstream) : null;
  upstream.start();
  try {
    // The signal still ends the answer's body if the client leaves; the wait no longer can.
    const signal = AbortSignal.any([client, gaveUp.signal]);
    const init: RequestInit & { duplex?: "half" } = { ...forward, body, signal };
    if (body !== null) init.duplex = "half";
    return await files.fetch(url, init);
  } catch (error) {
    if (upstream.expired) throw new HttpProblem(504, wait.slowDetail, { cause: gaveUp.signal.reason });
    if (client.aborted) throw new HttpProblem(499, "The request was canceled.");
    throw new HttpProblem(503, unavailable, { cause: error });
  } finally {
    upstream.end();
  }
}

/** image-service's answer as the client gets it: the body streams on; 5xx never leak their body. */
function passBack(answer: Response, headerNames: string[], method: string): Response {
  if (answer.status >= 500) {
    answer.body?.cancel().catch(() => {});
    const status = answer.status === 503 || answer.status === 504 ? 503 : 500;
    const detail = status === 503 ? unavailable : "The server failed to handle the request.";
    throw new HttpProblem(status, detail, { cause: new Error(`image-service answered ${answer.status}`) });
  }
  const headers = new Headers();
  for (const name of headerNames) {
    const value = answer.headers.get(name);
    if (value !== null) headers.set(name, value);
  }
  if (answer.status === 401 && !headers.has("www-authenticate")) {
    headers.set("www-authenticate", 'Bearer realm="instagram"');
  }
  const bodiless = method === "HEAD" || answer.status === 204 || answer.status === 304;
  if (bodiless) answer.body?.cancel().catch(() => {});
  return new Response(bodiless ? null : answer.body, { status: answer.status, headers });
}

/**
 * The one shape an upload takes: multipart/form-data with a boundary (RFC 2046: 1–70 characters),
 * so that image-service reads it as a form, never as a raw file. The boundary must end its
 * parameter, so image-service (which reads the first `boundary=`) sees the same one.
 */
const boundaryParameter = /;\s*boundary=(?:"[^"]{1,70}"|[^\s;"]{1,70})(?=\s*(?:;|$))/i;

const acceptedUpload: MiddlewareHandler = async (c, next) => {
  const contentType = c.req.header("content-type");
  const mediaType = contentType?.split(";")[0]?.trim().toLowerCase();
  if (mediaType !== "multipart/form-data") {
    throw new HttpProblem(415, "An upload is a multipart/form-data body with a `file` part.");
  }
  if (!boundaryParameter.test(contentType ?? "")) {
    throw new HttpProblem(400, "The multipart/form-data content type needs a boundary of 1–70 characters.");
  }
  await next();
};

export function registerImageFileRoutes(app: GatewayApp, deps: RouteDeps): void {
  // Documented like the others, served by a plain route: image-service's answer (its own Image JSON
  // or problem) passes through as it is, so there is no typed body to build, and no validator may
  // touch the request body.
  const { middleware, ...uploadRoute } = governedRoute(deps.enforcement, "http/UploadImage", {
    operationId: "uploadImage",
    method: "post",
    path: UPLOAD_PATH,
    tags: ["Images"],
    summary: "Upload an image",
    description:
      "The body is `multipart/form-data` with a `boundary` parameter: a `file` part and an optional " +
      "`caption` part. It streams to image-service as it arrives; the file's bytes decide its type. " +
      "Hashtags and mentions are read from the caption. Any other content type is refused (415), " +
      "as is a multipart content type without a usable boundary (400).",
    request: {
      headers: IdempotencyHeadersSchema,
      body: {
        required: true,
        content: {
          "multipart/form-data": {
            schema: uploadForm,
            encoding: { file: { contentType: "image/jpeg, image/png, image/webp, image/gif" } },
          },
        },
      },
    },
    responses: {
      201: {
        description: "The new image.",
        headers: { Location: { schema: { type: "string" }, description: "The image's address." } },
        content: { "application/json": { schema: ImageSchema } },
      },
      400: problemAnswer(
        "No boundary in the content type, a malformed form, no file, an empty or damaged file, a caption over 2200 characters, or a malformed Idempotency-Key.",
      ),
      413: problemAnswer("The file is larger than 20 MiB, or has too many pixels."),
      409: problemAnswer("The Idempotency-Key was used for another upload."),
      415: problemAnswer("The body is not multipart/form-data, or the file is not a JPEG, PNG, WebP or GIF."),
      504: problemAnswer("image-service kept the upload waiting too long; the image may have been stored."),
    },
  });
  app.openAPIRegistry.registerPath(uploadRoute);
  app.post(UPLOAD_PATH, every(...middleware, acceptedUpload, acceptedIdempotencyKey), async (c) => {
    const answer = await reach(
      deps.imageFiles,
      c,
      "/internal/v1/uploads",
      {
        method: "POST",
        headers: forwarded(c.req.raw.headers, uploadHeaders),
      },
      {
        ms: deps.imageFiles.waits.uploadMs,
        slowDetail:
          "The image service did not answer in time; the image may have been stored, so look before uploading it again.",
      },
    );
    return passBack(answer, uploadAnswerHeaders, c.req.method);
  });

  app.openapi(
    governedRoute(deps.enforcement, "http/GetImageContent", {
      operationId: "getImageContent",
      method: "get",
      path: "/v1/images/{id}/content",
      tags: ["Images"],
      summary: "An image file",
      description:
        "Public: image ids are unguessable, like a CDN's URLs. Files never change: the ETag is strong " +
        "and the answer cacheable for a year.",
      request: { params: ImageIdParamSchema, query: ContentQuerySchema, headers: ContentHeadersSchema },
      responses: {
        200: {
          description: "The file.",
          headers: {
            ETag: { schema: { type: "string" } },
            "Cache-Control": { schema: { type: "string", example: "public, max-age=31536000, immutable" } },
          },
          content: { "image/jpeg": binary, "image/png": binary, "image/webp": binary, "image/gif": binary },
        },
        304: { description: "The file matches If-None-Match." },
        400: problemAnswer("`size` is neither original nor thumbnail."),
        404: problemAnswer("No such image."),
        504: problemAnswer("image-service did not answer in time."),
      },
    }),
    async (c) => {
      const { id } = c.req.valid("param");
      const { size } = c.req.valid("query");
      const answer = await reach(
        deps.imageFiles,
        c,
        `/v1/images/${encodeURIComponent(id)}/content?size=${size}`,
        {
          method: c.req.method === "HEAD" ? "HEAD" : "GET",
          headers: forwarded(c.req.raw.headers, contentHeaders),
        },
        {
          ms: deps.imageFiles.waits.contentMs,
          slowDetail: "The image service did not answer in time; try again shortly.",
        },
      );
      return passBack(answer, contentAnswerHeaders, c.req.method);
    },
  );
}
