import type { Discovery, ServiceInstance } from "./types.ts";

/**
 * Addresses from configuration (*_SERVICE_URL, or a Kubernetes service DNS name). Instances registered
 * in this process (the embedded stack, where ports may be picked at start) take precedence over the
 * configured addresses of their service.
 */
export function createStaticDiscovery(urls: Record<string, string[]>): Discovery {
  const configured = new Map(Object.entries(urls).map(([service, list]) => [service, [...list]]));
  const registered = new Map<string, Map<string, string>>();

  return {
    async resolve(service) {
      const live = registered.get(service);
      if (live && live.size > 0) return [...new Set(live.values())];
      return [...(configured.get(service) ?? [])];
    },
    async register(instance: ServiceInstance) {
      const instances = registered.get(instance.service) ?? new Map<string, string>();
      instances.set(instance.id, trimSlash(instance.url));
      registered.set(instance.service, instances);
    },
    async deregister(instance: ServiceInstance) {
      registered.get(instance.service)?.delete(instance.id);
    },
    async close() {},
  };
}

function trimSlash(url: string): string {
  return url.endsWith("/") ? url.slice(0, -1) : url;
}
