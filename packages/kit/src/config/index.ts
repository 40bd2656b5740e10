export { type CommonEnv, commonEnvSchema } from "./common-env.ts";
export { ConfigError, type Environment, parseEnv } from "./parse-env.ts";
