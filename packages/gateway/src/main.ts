import { createLogger } from "@instagram/kit";
import { createRuntimeFromEnv, launchService, runMain } from "@instagram/kit/node";
import { createGatewayService, loadGatewayEnv } from "./service.ts";

const env = loadGatewayEnv(process.env);
const logger = createLogger({ service: "gateway", level: env.LOG_LEVEL });

runMain(
  async () =>
    launchService(createGatewayService(env), await createRuntimeFromEnv(env, "gateway"), {
      host: env.HOST,
      port: env.PORT,
      advertiseHost: env.ADVERTISE_HOST,
    }),
  logger,
);
