import { createLogger } from "@instagram/kit";
import { createRuntimeFromEnv, launchService, runMain } from "@instagram/kit/node";
import { createImageService, loadImageEnv } from "./service.ts";

const env = loadImageEnv(process.env);
const logger = createLogger({ service: "image", level: env.LOG_LEVEL });

runMain(
  async () =>
    launchService(createImageService(env), await createRuntimeFromEnv(env, "image"), {
      host: env.HOST,
      port: env.PORT,
      advertiseHost: env.ADVERTISE_HOST,
    }),
  logger,
);
