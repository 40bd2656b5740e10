export {
  type DistributedStack,
  type DistributedStackOptions,
  type InstanceName,
  startDistributedStack,
} from "./distributed.ts";
export { type EmbeddedStack, type EmbeddedStackOptions, startEmbeddedStack } from "./embedded.ts";
export { freePort, freePorts } from "./free-port.ts";
export { type Ports, type ServiceName, services } from "./services.ts";
