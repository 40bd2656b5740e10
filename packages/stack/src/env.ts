import { type Environment, parseEnv } from "@instagram/kit";
import { z } from "zod";
import type { Ports } from "./services.ts";

const port = z.coerce.number().int().min(1).max(65535).optional();

export const stackEnvSchema = z.object({
  HOST: z.string().default("127.0.0.1"),
  DATA_DIR: z.string().default(".data"),
  LOG_LEVEL: z.enum(["trace", "debug", "info", "warn", "error", "fatal", "silent"]).default("info"),
  PORT_GATEWAY: port,
  PORT_AUTH: port,
  PORT_USER: port,
  PORT_IMAGE: port,
  PORT_COMMENT: port,
  // distributed mode only
  DATABASE_URL: z.string().url().optional(),
  KAFKA_BROKERS: z.string().optional(),
});

export type StackEnv = z.infer<typeof stackEnvSchema>;

export function loadStackEnv(env: Environment): StackEnv {
  return parseEnv(stackEnvSchema, env);
}

export function portsOf(env: StackEnv): Ports {
  return {
    gateway: env.PORT_GATEWAY,
    auth: env.PORT_AUTH,
    user: env.PORT_USER,
    image: env.PORT_IMAGE,
    comment: env.PORT_COMMENT,
  };
}

/** The stack's own lines ("ready in …") show unless logs are silenced; LOG_LEVEL governs the services. */
export function stackLogLevel(level: StackEnv["LOG_LEVEL"]): StackEnv["LOG_LEVEL"] {
  return level === "warn" || level === "error" || level === "fatal" ? "info" : level;
}
