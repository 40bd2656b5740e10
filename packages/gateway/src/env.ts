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
});

export type GatewayEnv = z.infer<typeof gatewayEnvSchema>;

export function loadGatewayEnv(env: Environment): GatewayEnv {
  return parseEnv(gatewayEnvSchema, env);
}
