// Node entry of the distributed mode: configuration from the environment, one service per process.
import { createLogger } from "@instagram/kit";
import { createRuntimeFromEnv, launchService, runMain } from "@instagram/kit/node";
import { createGatewayService, loadGatewayEnv } from "./service.ts";

runMain(
  async () => {
    // Read here, not before: runMain prints a ConfigError as a plain message.
    const env = loadGatewayEnv(process.env);
    const runtime = await createRuntimeFromEnv(env, "gateway");
    const launched = await launchService(createGatewayService(env), runtime, {
      host: env.HOST,
      port: env.PORT,
      advertiseHost: env.ADVERTISE_HOST,
    });
    return { stop: launched.stop, close: runtime.close, logger: runtime.logger };
  },
  createLogger({ service: "gateway" }),
);
