import { createLogger } from "@instagram/kit";
import { createRuntimeFromEnv, launchService, runMain } from "@instagram/kit/node";
import { createUserService, loadUserEnv } from "./service.ts";

const env = loadUserEnv(process.env);
const logger = createLogger({ service: "user", level: env.LOG_LEVEL });

runMain(
  async () =>
    launchService(createUserService(env), await createRuntimeFromEnv(env, "user"), {
      host: env.HOST,
      port: env.PORT,
      advertiseHost: env.ADVERTISE_HOST,
    }),
  logger,
);
