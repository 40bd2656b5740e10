import { createServiceApp } from "../../server/service-app.ts";
import type { ServiceModule } from "../types.ts";

/** A service module without a database: healthz only; reports its URL and its stop through `events`. */
export function createHelloModule(events: (line: string) => void): ServiceModule {
  return {
    name: "hello",
    async start(ctx) {
      events(`started ${ctx.url}`);
      const app = createServiceApp({ name: "hello", routes: () => {}, readiness: async () => {} });
      return {
        app,
        async stop() {
          events("module stopped");
        },
      };
    },
  };
}
