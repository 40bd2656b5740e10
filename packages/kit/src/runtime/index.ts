export { type LaunchedService, launchModule, type ServiceHost } from "./launch-module.ts";
export type { ServiceContext, ServiceModule, ServiceRuntime, StartedService } from "./types.ts";
