import type { CommonEnv } from "../config/common-env.ts";
import type { Environment } from "../config/parse-env.ts";
import { createLogger } from "../log/logger.ts";
import { type ListenAddress, launchService } from "./launch.ts";
import { runMain } from "./run-main.ts";
import { createRuntimeFromEnv, type RuntimeFromEnvOptions } from "./runtime-from-env.ts";
import type { ServiceModule } from "./types.ts";

/**
 * The whole Node entry of one service (its src/main.ts): reads the configuration inside runMain
 * (so a ConfigError prints as a plain message), builds the runtime from it, launches the module on
 * HOST:PORT and, on SIGINT/SIGTERM, stops the service then closes the runtime.
 */
export function runServiceMain<E extends CommonEnv>(
  name: string,
  loadEnv: (source: Environment) => E,
  createModule: (env: E) => ServiceModule,
  /**
   * e.g. { events: false } for a service that neither publishes nor consumes (the gateway);
   * `listen`: the service's own listening options from its env (timeouts, a metrics port).
   */
  options?: RuntimeFromEnvOptions & { listen?: (env: E) => Pick<ListenAddress, "timeouts" | "metricsPort"> },
): void {
  runMain(
    async () => {
      const env = loadEnv(process.env);
      const runtime = await createRuntimeFromEnv(env, name, options);
      const launched = await launchService(createModule(env), runtime, {
        host: env.HOST,
        port: env.PORT,
        advertiseHost: env.ADVERTISE_HOST,
        ...options?.listen?.(env),
      });
      return { stop: launched.stop, close: runtime.close, logger: runtime.logger };
    },
    createLogger({ service: name }),
  );
}
