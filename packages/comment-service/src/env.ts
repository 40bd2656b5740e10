import { commonEnvSchema, consumerEnvShape, type Environment, parseEnv } from "@instagram/kit";
import { z } from "zod";

export const commentEnvSchema = commonEnvSchema.extend({
  ...consumerEnvShape,
  PORT: commonEnvSchema.shape.PORT.unwrap().default(8084),
  /**
   * Deadline of the BatchGetImageOwners call made when the images read model does not know an
   * image yet (its images.CREATED still on its way); 0 turns that fallback off.
   */
  IMAGE_LOOKUP_TIMEOUT_MS: z.coerce
    .number({ error: "expected a number of milliseconds" })
    .int("expected whole milliseconds")
    .min(0)
    .max(60_000)
    .default(1000),
});

export type CommentEnv = z.infer<typeof commentEnvSchema>;

/** The only reader of the environment in comment-service; throws ConfigError naming each bad variable. */
export function loadCommentEnv(env: Environment): CommentEnv {
  return parseEnv(commentEnvSchema, env);
}
