import { ConfigError, commonEnvSchema, type Environment, parseEnv } from "@instagram/kit";
import { z } from "zod";

const seconds = z.coerce
  .number({ error: "expected a number of seconds" })
  .int("expected whole seconds")
  .min(1);

export const authEnvSchema = commonEnvSchema.extend({
  PORT: commonEnvSchema.shape.PORT.unwrap().default(8081),
  /**
   * Ed25519 private JWK as JSON; unset → DATA_DIR/keys/auth-signing-key.json, created at first
   * start. Checked in loadAuthEnv, not here, so a bad value is never echoed into the error.
   */
  JWT_PRIVATE_KEY: z.string().optional(),
  ACCESS_TOKEN_TTL_SECONDS: seconds.max(900, "must be at most 900 seconds (15 min)").default(900),
  REFRESH_TOKEN_TTL_SECONDS: seconds.default(30 * 24 * 60 * 60),
  /** Failed logins per login name within the window before further attempts get 429. */
  LOGIN_MAX_FAILURES: z.coerce.number({ error: "expected a number" }).int().min(1).default(5),
  LOGIN_FAILURE_WINDOW_SECONDS: seconds.default(15 * 60),
  /**
   * How long ended sessions (revoked, or whose last refresh token expired) and expired refresh
   * tokens are kept before the sweep deletes them. While kept, a spent token presented again
   * still revokes its session.
   */
  SESSION_RETENTION_SECONDS: seconds.default(7 * 24 * 60 * 60),
  /** Time between two sweeps of ended sessions (the first runs at start). */
  SESSION_SWEEP_EVERY_SECONDS: seconds.default(5 * 60),
});

export type AuthEnv = z.infer<typeof authEnvSchema>;

/** The only reader of the environment in auth-service; throws ConfigError naming each bad variable. */
export function loadAuthEnv(env: Environment): AuthEnv {
  const parsed = parseEnv(authEnvSchema, env);
  if (parsed.JWT_PRIVATE_KEY !== undefined && !isJsonObject(parsed.JWT_PRIVATE_KEY)) {
    throw new ConfigError(["JWT_PRIVATE_KEY: expected a private JWK as a JSON object (value not shown)"]);
  }
  return parsed;
}

function isJsonObject(text: string): boolean {
  try {
    const value: unknown = JSON.parse(text);
    return typeof value === "object" && value !== null && !Array.isArray(value);
  } catch {
    return false;
  }
}
