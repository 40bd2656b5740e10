export {
  type DatabaseServiceContext,
  type DatabaseServiceModule,
  databaseService,
} from "./database-service.ts";
export { type DenoHost, type DenoServiceMain, runDenoServiceMain } from "./deno-entry.ts";
export { type LaunchedService, launchModule, type ServiceHost } from "./launch-module.ts";
export type { ServiceContext, ServiceModule, ServiceRuntime, StartedService } from "./types.ts";
