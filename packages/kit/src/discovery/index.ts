export { createStaticDiscovery } from "./static.ts";
export {
  createServiceTransport,
  forwardAuthorization,
  type InstanceTransports,
  type ServiceTransportOptions,
} from "./transport.ts";
export type { Discovery, ServiceInstance } from "./types.ts";
