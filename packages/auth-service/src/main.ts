import { createLogger } from "@instagram/kit";
import { createRuntimeFromEnv, launchService, runMain } from "@instagram/kit/node";
import { createAuthService, loadAuthEnv } from "./service.ts";

const env = loadAuthEnv(process.env);
const logger = createLogger({ service: "auth", level: env.LOG_LEVEL });

runMain(
  async () =>
    launchService(createAuthService(env), await createRuntimeFromEnv(env, "auth"), {
      host: env.HOST,
      port: env.PORT,
      advertiseHost: env.ADVERTISE_HOST,
    }),
  logger,
);
