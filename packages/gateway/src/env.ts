import { commonEnvSchema, type Environment, parseEnv } from "@instagram/kit";
import { z } from "zod";

const positiveInt = (hint: string) =>
  z.coerce
    .number({ error: `expected ${hint}` })
    .int(`expected ${hint}`)
    .min(1, `expected ${hint} ≥ 1`);

const flag = z
  .enum(["true", "false", "1", "0", "yes", "no"], { error: "expected true or false" })
  .transform((value) => value === "true" || value === "1" || value === "yes");

export const gatewayEnvSchema = commonEnvSchema.extend({
  PORT: commonEnvSchema.shape.PORT.unwrap().default(8080),
  /** `*` or a comma-separated list of origins allowed by CORS. */
  CORS_ORIGINS: z.string().min(1).default("*"),
  MAX_JSON_BODY_BYTES: positiveInt("a size in bytes").default(64 * 1024),
  /** image-service's limit, the same setting: an upload declared longer is refused before relaying. */
  MAX_UPLOAD_BYTES: positiveInt("a size in bytes").default(20 * 1024 * 1024),
  /** Failed logins allowed per account name within the window. */
  LOGIN_RATE_ACCOUNT_MAX_FAILURES: positiveInt("a count").default(5),
  LOGIN_RATE_ACCOUNT_WINDOW_SECONDS: positiveInt("seconds").default(15 * 60),
  /** Login attempts allowed per client address within the window. */
  LOGIN_RATE_CLIENT_MAX_ATTEMPTS: positiveInt("a count").default(20),
  LOGIN_RATE_CLIENT_WINDOW_SECONDS: positiveInt("seconds").default(60),
  /** Behind a trusted reverse proxy: take the client address from the hop it appended to X-Forwarded-For. */
  TRUSTED_PROXY: flag.default(false),
  /** Deadline of one call to a service, retries included. */
  SERVICE_CALL_TIMEOUT_MS: positiveInt("milliseconds").default(5_000),
  /** /metrics on its own port (internal), never on PORT; e.g. 9464. */
  METRICS_PORT: commonEnvSchema.shape.PORT.unwrap().optional(),
  /** /metrics on PORT too, to `Authorization: Bearer <METRICS_TOKEN>` only. */
  METRICS_TOKEN: z.string().min(16, "expected a token of 16 characters or more").optional(),
  /** Slow clients (HTTP/1.1): the headers, the whole request, a pause within a body, an idle keep-alive. */
  HTTP_HEADERS_TIMEOUT_MS: positiveInt("milliseconds").default(10_000),
  HTTP_REQUEST_TIMEOUT_MS: positiveInt("milliseconds").default(300_000),
  HTTP_BODY_IDLE_TIMEOUT_MS: positiveInt("milliseconds").default(30_000),
  HTTP_KEEP_ALIVE_TIMEOUT_MS: positiveInt("milliseconds").default(5_000),
});

export type GatewayEnv = z.infer<typeof gatewayEnvSchema>;

export function loadGatewayEnv(env: Environment): GatewayEnv {
  return parseEnv(gatewayEnvSchema, env);
}
