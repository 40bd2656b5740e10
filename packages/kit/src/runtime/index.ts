export type { ServiceContext, ServiceModule, ServiceRuntime, StartedService } from "./types.ts";
