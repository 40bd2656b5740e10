import { z } from "zod";
import { serviceKeyBytes } from "../service-identity/service-key.ts";

const port = z.coerce
  .number({ error: "expected a port number" })
  .int("expected a port number")
  .min(0, "expected a port number 0..65535")
  .max(65535, "expected a port number 0..65535");

const httpUrl = z.url({ protocol: /^https?$/, error: "expected an http(s) URL, e.g. http://127.0.0.1:8081" });

/** One base URL, or several (comma-separated): the instances of a service in static discovery. */
const httpUrls = z
  .string()
  .refine((value) => value.split(",").every((url) => httpUrl.safeParse(url.trim()).success), {
    error: "expected an http(s) URL or a comma-separated list of them, e.g. http://127.0.0.1:8081",
  });

const otlpUrl = z.url({ protocol: /^https?$/, error: "expected an http(s) URL, e.g. http://127.0.0.1:4318" });

const postgresUrl = z.url({
  protocol: /^postgres(ql)?$/,
  error: "expected a postgres:// URL, e.g. postgres://user:pass@127.0.0.1:5432/db",
});

const logLevel = z.enum(["fatal", "error", "warn", "info", "debug", "trace", "silent"], {
  error: "expected one of fatal, error, warn, info, debug, trace, silent",
});

const brokers = z
  .string()
  .regex(/^[^,\s]+:\d+(,[^,\s]+:\d+)*$/, "expected a comma-separated list of host:port");

/** The variables every service reads; each service extends it with its own (and its own PORT default). */
export const commonEnvSchema = z.object({
  PORT: port.default(0),
  HOST: z.string().min(1).default("127.0.0.1"),
  ADVERTISE_HOST: z.string().min(1).optional(),
  LOG_LEVEL: logLevel.default("info"),
  DATABASE_URL: postgresUrl.optional(),
  /**
   * Most PostgreSQL connections of the process. postgres.js pipelines the queries of one connection
   * into one socket write per tick, so a few busy connections beat many idle ones; default 4.
   */
  DATABASE_POOL_MAX: z.coerce.number().int().min(1).max(100).default(4),
  DATA_DIR: z.string().min(1).default(".data"),
  KAFKA_BROKERS: brokers.optional(),
  /** Put before every Kafka topic and consumer group name: several stacks on one broker (tests). */
  KAFKA_NAMESPACE: z
    .string()
    .regex(/^[A-Za-z0-9._-]*$/, "expected letters, digits, '.', '_' or '-'")
    .default(""),
  CONSUL_HTTP_ADDR: z
    .string()
    .regex(/^(https?:\/\/)?[^\s/:]+(:\d+)?\/?$/, "expected host:port or an http(s) URL")
    .optional(),
  AUTH_SERVICE_URL: httpUrls.default("http://127.0.0.1:8081"),
  USER_SERVICE_URL: httpUrls.default("http://127.0.0.1:8082"),
  IMAGE_SERVICE_URL: httpUrls.default("http://127.0.0.1:8083"),
  COMMENT_SERVICE_URL: httpUrls.default("http://127.0.0.1:8084"),
  JWT_ISSUER: z.string().min(1).default("instagram-clone"),
  /**
   * The key every service of the deployment signs and checks service tokens with (internal RPCs):
   * at least 32 random bytes, base64 or base64url. Unset: SERVICE_TOKEN_KEY_FILE, else the dev
   * default under DATA_DIR while every peer is on this machine (see the kit's serviceKeyOf).
   */
  SERVICE_TOKEN_KEY: z
    .string()
    .refine((text) => serviceKeyBytes(text) !== undefined, {
      error: "expected at least 32 random bytes, base64 or base64url encoded, e.g. `openssl rand -base64 32`",
    })
    .optional(),
  /** A file holding that key, shared by every service; created with a new key when missing. */
  SERVICE_TOKEN_KEY_FILE: z.string().min(1).optional(),
  /**
   * During a key rotation only: more keys whose tokens are accepted (never signed with),
   * comma-separated, each like SERVICE_TOKEN_KEY (docs/architecture.md, "Service identity").
   */
  SERVICE_TOKEN_ACCEPTED_KEYS: z
    .string()
    .refine((text) => text.split(",").every((key) => serviceKeyBytes(key.trim()) !== undefined), {
      error: "expected comma-separated keys of at least 32 random bytes each, base64 or base64url encoded",
    })
    .optional(),
  /** OTLP/HTTP collector base URL (e.g. http://127.0.0.1:4318); unset → spans are not exported. */
  OTEL_EXPORTER_OTLP_ENDPOINT: otlpUrl.optional(),
  /** service.name of the spans; default the service's own name. */
  OTEL_SERVICE_NAME: z.string().min(1).optional(),
});

export type CommonEnv = z.infer<typeof commonEnvSchema>;
