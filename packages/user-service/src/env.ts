import { commonEnvSchema, consumerEnvShape, type Environment, parseEnv } from "@instagram/kit";
import type { z } from "zod";

export const userEnvSchema = commonEnvSchema.extend({
  ...consumerEnvShape,
  PORT: commonEnvSchema.shape.PORT.unwrap().default(8082),
});

export type UserEnv = z.infer<typeof userEnvSchema>;

/** The only reader of the environment for user-service; a bad value stops the start. */
export function loadUserEnv(env: Environment): UserEnv {
  return parseEnv(userEnvSchema, env);
}
