import { commonEnvSchema, consumerEnvShape, type Environment, parseEnv } from "@instagram/kit";
import { z } from "zod";

const MiB = 1024 * 1024;

const positiveInt = (what: string) =>
  z.coerce
    .number({ error: `expected ${what}` })
    .int(`expected ${what}`)
    .positive(`expected ${what}`);

export const imageEnvSchema = commonEnvSchema.extend({
  ...consumerEnvShape,
  PORT: commonEnvSchema.shape.PORT.unwrap().default(8083),
  /** Image files; default DATA_DIR/blobs. */
  BLOB_DIR: z.string().min(1).optional(),
  /** Largest accepted upload (the file itself), default 20 MiB. */
  MAX_UPLOAD_BYTES: positiveInt("a number of bytes").default(20 * MiB),
  /** Largest width × height decoded, default 100 megapixels (checked from the header, before decoding). */
  MAX_INPUT_PIXELS: positiveInt("a number of pixels").default(100_000_000),
  /** Renditions (original, thumbnail) rendered at once by sharp; more costs memory, not speed past the cores. */
  RENDER_CONCURRENCY: positiveInt("a count").default(2),
  /** How far back feeds are kept fanned out (timelines); older pages are read from the follow graph. */
  FEED_TIMELINE_DAYS: positiveInt("a number of days").default(30),
  /** Followers past which an account's new images are merged into feeds on read, not fanned out. */
  FEED_FAN_OUT_MAX_FOLLOWERS: positiveInt("a number of followers").default(1000),
  /** Where image files live: `file` (BLOB_DIR, the default) or `s3` (an S3-compatible bucket, S3_*). */
  BLOB_STORE: z.enum(["file", "s3"], { error: "expected file or s3" }).default("file"),
  /** The S3-compatible server, e.g. http://127.0.0.1:8333; unset → AWS itself. */
  S3_ENDPOINT: z.url({ protocol: /^https?$/, error: "expected an http(s) URL" }).optional(),
  /** The bucket of image files (required with BLOB_STORE=s3); it must exist. */
  S3_BUCKET: z.string().min(1).optional(),
  S3_REGION: z.string().min(1).default("us-east-1"),
  /** Unset → the AWS SDK's default credential chain. */
  S3_ACCESS_KEY_ID: z.string().min(1).optional(),
  S3_SECRET_ACCESS_KEY: z.string().min(1).optional(),
  /** Path-style URLs (<endpoint>/<bucket>/<key>): most self-hosted stores need them. */
  S3_FORCE_PATH_STYLE: z.stringbool({ error: "expected true or false" }).default(false),
  /** Content answered by a redirect to a presigned URL (valid 5 minutes) instead of streamed through. */
  S3_PRESIGNED_CONTENT: z.stringbool({ error: "expected true or false" }).default(false),
});

export type ImageEnv = z.infer<typeof imageEnvSchema> & { BLOB_DIR: string };

export function loadImageEnv(env: Environment): ImageEnv {
  const parsed = parseEnv(imageEnvSchema, env);
  return { ...parsed, BLOB_DIR: parsed.BLOB_DIR ?? `${parsed.DATA_DIR.replace(/\/+$/, "")}/blobs` };
}
