// `npm start`: every service in this one process (PGlite + in-process bus).
import { createLogger } from "@instagram/kit";
import { runMain } from "@instagram/kit/node";
import { startEmbeddedStack } from "./embedded.ts";
import { loadStackEnv, portsOf, stackLogLevel } from "./env.ts";

const env = loadStackEnv(process.env);
const logger = createLogger({ service: "stack", level: stackLogLevel(env.LOG_LEVEL) });

runMain(async () => {
  const stack = await startEmbeddedStack({
    dataDir: env.DATA_DIR,
    ports: portsOf(env),
    host: env.HOST,
    logLevel: env.LOG_LEVEL,
    env: process.env,
  });
  // performance.now() counts from the start of the process, module loading included.
  logger.info(
    { gatewayUrl: stack.gatewayUrl, services: stack.urls },
    `ready in ${Math.round(performance.now())} ms: ${stack.gatewayUrl}`,
  );
  return stack;
}, logger);
