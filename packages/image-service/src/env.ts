import { commonEnvSchema, type Environment, parseEnv } from "@instagram/kit";
import { z } from "zod";

const MiB = 1024 * 1024;

const positiveInt = (what: string) =>
  z.coerce
    .number({ error: `expected ${what}` })
    .int(`expected ${what}`)
    .positive(`expected ${what}`);

export const imageEnvSchema = commonEnvSchema.extend({
  PORT: commonEnvSchema.shape.PORT.unwrap().default(8083),
  /** Image files; default DATA_DIR/blobs. */
  BLOB_DIR: z.string().min(1).optional(),
  /** Largest accepted upload (the file itself), default 20 MiB. */
  MAX_UPLOAD_BYTES: positiveInt("a number of bytes").default(20 * MiB),
  /** Largest width × height decoded, default 100 megapixels (checked from the header, before decoding). */
  MAX_INPUT_PIXELS: positiveInt("a number of pixels").default(100_000_000),
  /** How far back feeds are kept fanned out (timelines); older pages are read from the follow graph. */
  FEED_TIMELINE_DAYS: positiveInt("a number of days").default(30),
  /** Followers past which an account's new images are merged into feeds on read, not fanned out. */
  FEED_FAN_OUT_MAX_FOLLOWERS: positiveInt("a number of followers").default(1000),
});

export type ImageEnv = z.infer<typeof imageEnvSchema> & { BLOB_DIR: string };

export function loadImageEnv(env: Environment): ImageEnv {
  const parsed = parseEnv(imageEnvSchema, env);
  return { ...parsed, BLOB_DIR: parsed.BLOB_DIR ?? `${parsed.DATA_DIR.replace(/\/+$/, "")}/blobs` };
}
