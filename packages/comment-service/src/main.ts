import { createLogger } from "@instagram/kit";
import { createRuntimeFromEnv, launchService, runMain } from "@instagram/kit/node";
import { createCommentService, loadCommentEnv } from "./service.ts";

const env = loadCommentEnv(process.env);
const logger = createLogger({ service: "comment", level: env.LOG_LEVEL });

runMain(
  async () =>
    launchService(createCommentService(env), await createRuntimeFromEnv(env, "comment"), {
      host: env.HOST,
      port: env.PORT,
      advertiseHost: env.ADVERTISE_HOST,
    }),
  logger,
);
