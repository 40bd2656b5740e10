export { createInstanceHealth, type InstanceHealth, neverSent } from "./instance-health.ts";
export { type AddressLookup, createStaticDiscovery, type StaticDiscoveryOptions, urlList } from "./static.ts";
export {
  createServiceTransport,
  forwardAuthorization,
  type InstanceTransports,
  type ServiceTransportOptions,
} from "./transport.ts";
export type { Discovery, ServiceInstance } from "./types.ts";
