import type { Discovery, ServiceInstance } from "./types.ts";

/** The addresses a host name stands for (A/AAAA records); the Node rim has dnsAddresses. */
export type AddressLookup = (hostname: string) => Promise<string[]>;

export interface StaticDiscoveryOptions {
  /**
   * Expands a configured URL whose host is a name into one URL per address of that name (e.g. a
   * Kubernetes headless service): each address is an instance. Absent: names are used as given.
   */
  lookup?: AddressLookup;
  /** How long the addresses of a name are used before they are looked up again; default 10 s. */
  refreshMs?: number;
}

interface Expansion {
  parsed: URL;
  /** The host is a name to look up (not an address, not localhost, over http). */
  named: boolean;
  urls: string[];
  at: number;
  refreshing: Promise<void> | undefined;
}

/**
 * Addresses from configuration (each *_SERVICE_URL may list several, comma-separated, or name a
 * host with several addresses). Instances registered in this process (the embedded stack, where
 * ports may be picked at start) take precedence over the configured addresses of their service.
 */
export function createStaticDiscovery(
  urls: Record<string, string[]>,
  options: StaticDiscoveryOptions = {},
): Discovery {
  const configured = new Map(
    Object.entries(urls).map(([service, list]) => [service, list.map((url) => trimSlash(url.trim()))]),
  );
  const registered = new Map<string, Map<string, string>>();
  const expansions = new Map<string, Expansion>();
  const refreshMs = options.refreshMs ?? 10_000;

  /** A URL whose host has addresses: one URL per address; the URL itself while none are known. */
  async function expand(url: string, lookup: AddressLookup): Promise<string[]> {
    let expansion = expansions.get(url);
    if (!expansion) {
      // Parsed once: this runs on every call.
      const parsed = new URL(url);
      const named =
        parsed.protocol === "http:" && !isAddress(parsed.hostname) && parsed.hostname !== "localhost";
      expansion = { parsed, named, urls: [], at: 0, refreshing: undefined };
      expansions.set(url, expansion);
    }
    if (!expansion.named) return [url];
    const current = expansion;
    const parsed = current.parsed;
    if (Date.now() - current.at >= refreshMs && !current.refreshing) {
      current.refreshing = lookup(parsed.hostname)
        .then(
          (addresses) => {
            if (addresses.length > 0) current.urls = addresses.map((address) => withHost(parsed, address));
          },
          () => {
            // Keep the last known addresses; with none, the name itself is tried.
          },
        )
        .finally(() => {
          current.at = Date.now();
          current.refreshing = undefined;
        });
    }
    // Wait for the first answer only; later refreshes happen behind the calls.
    if (current.urls.length === 0 && current.refreshing) await current.refreshing;
    return current.urls.length > 0 ? [...current.urls] : [url];
  }

  return {
    async resolve(service) {
      const live = registered.get(service);
      if (live && live.size > 0) return [...new Set(live.values())];
      const list = configured.get(service) ?? [];
      const lookup = options.lookup;
      if (!lookup) return [...list];
      const expanded = await Promise.all(list.map((url) => expand(url, lookup)));
      return [...new Set(expanded.flat())];
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

/** Several addresses in one variable: `http://a:1,http://b:2`. */
export function urlList(value: string): string[] {
  return value
    .split(",")
    .map((url) => url.trim())
    .filter((url) => url !== "");
}

function isAddress(hostname: string): boolean {
  return /^\d{1,3}(\.\d{1,3}){3}$/.test(hostname) || hostname.startsWith("[");
}

function withHost(url: URL, address: string): string {
  const copy = new URL(url.href);
  copy.hostname = address.includes(":") ? `[${address}]` : address;
  return trimSlash(copy.href);
}

function trimSlash(url: string): string {
  return url.endsWith("/") ? url.slice(0, -1) : url;
}
