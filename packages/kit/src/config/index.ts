export { type CommonEnv, commonEnvSchema } from "./common-env.ts";
export { consumerEnvShape } from "./consumer-env.ts";
export { ConfigError, type Environment, parseEnv } from "./parse-env.ts";
