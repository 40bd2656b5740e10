// A Node entry for run-main tests: `mode` picks how start and stop behave.
import { z } from "zod";
import { commonEnvSchema } from "../../config/common-env.ts";
import { parseEnv } from "../../config/parse-env.ts";
import { createLogger } from "../../log/logger.ts";
import { runMain } from "../run-main.ts";

const mode = process.argv[2];
const logger = createLogger({ service: "fixture", level: "silent" });

runMain(async () => {
  if (mode === "config")
    parseEnv(commonEnvSchema.extend({ PORT: z.coerce.number().int() }), { PORT: "eighty" });
  const serving = setInterval(() => {}, 1_000); // stands for a listening server
  process.stdout.write("started\n");
  return {
    async stop() {
      clearInterval(serving);
      process.stdout.write("stopping\n");
      await new Promise((resolve) => setTimeout(resolve, mode === "slow" ? 60_000 : 200));
      process.stdout.write("stopped\n");
      if (mode === "stop-fails") throw new Error("stop failed");
    },
    logger: mode === "logger" ? createLogger({ service: "fixture-runtime", level: "info" }) : undefined,
    close:
      mode === "ok" || mode === "logger"
        ? undefined
        : async () => {
            process.stdout.write("closed\n");
          },
  };
}, logger);
