import Consul from "consul";
import type { Logger } from "../log/logger.ts";
import type { Discovery, ServiceInstance } from "./types.ts";

interface HealthEntry {
  Node?: { Address?: string };
  Service?: { Address?: string; Port?: number };
}

interface Watched {
  urls: string[];
  end(): void;
}

/**
 * Consul agent discovery: register with an HTTP check on /healthz, deregister on stop, and resolve
 * from `health/service?passing` lookups that are cached and kept fresh by blocking queries.
 */
export function createConsulDiscovery(opts: {
  /** CONSUL_HTTP_ADDR: host:port or an http(s) URL. */
  url: string;
  logger: Logger;
  /** How long one blocking query waits for a change; default "30s". */
  blockingWait?: string;
}): Discovery {
  const address = new URL(/^https?:\/\//.test(opts.url) ? opts.url : `http://${opts.url}`);
  const secure = address.protocol === "https:";
  const consul = new Consul({
    host: address.hostname,
    port: address.port ? Number(address.port) : secure ? 443 : 8500,
    secure,
  });
  const watched = new Map<string, Promise<Watched>>();
  let closed = false;

  /** The first answer of the watch (a non-blocking query, index 0) settles the lookup. */
  function lookup(service: string): Promise<Watched> {
    return new Promise((resolve, reject) => {
      if (closed) {
        reject(new Error("discovery is closed"));
        return;
      }
      const watch = consul.watch({
        method: consul.health.service,
        options: { service, passing: "true", wait: opts.blockingWait ?? "30s" },
      });
      const entry: Watched = { urls: [], end: () => watch.end() };
      let settled = false;
      watch.on("change", (entries: HealthEntry[]) => {
        entry.urls = urlsOf(entries);
        if (!settled) {
          settled = true;
          resolve(entry);
        }
      });
      watch.on("error", (error: unknown) => {
        if (!settled) {
          settled = true;
          watch.end();
          reject(error);
          return;
        }
        opts.logger.warn(
          { err: error, service },
          "consul health watch failed; keeping the last known instances",
        );
      });
    });
  }

  return {
    async resolve(service) {
      let entry = watched.get(service);
      if (!entry) {
        entry = lookup(service);
        watched.set(service, entry);
        entry.catch(() => watched.delete(service)); // the next resolve asks again
      }
      return [...(await entry).urls];
    },
    async register(instance: ServiceInstance) {
      const url = new URL(instance.url);
      await consul.agent.service.register({
        name: instance.service,
        id: instance.id,
        address: url.hostname,
        port: Number(url.port || (url.protocol === "https:" ? 443 : 80)),
        check: {
          name: `${instance.service} /healthz`,
          http: `${trimSlash(instance.url)}/healthz`,
          interval: "5s",
          timeout: "2s",
          deregistercriticalserviceafter: "1m",
        },
      });
    },
    async deregister(instance: ServiceInstance) {
      await consul.agent.service.deregister(instance.id);
    },
    async close() {
      closed = true;
      const entries = await Promise.allSettled(watched.values());
      for (const entry of entries) if (entry.status === "fulfilled") entry.value.end();
      watched.clear();
      consul.destroy();
    },
  };
}

function urlsOf(entries: HealthEntry[]): string[] {
  const urls: string[] = [];
  for (const entry of entries) {
    const host = entry.Service?.Address || entry.Node?.Address;
    const port = entry.Service?.Port;
    if (host && port) urls.push(`http://${host.includes(":") ? `[${host}]` : host}:${port}`);
  }
  return urls;
}

function trimSlash(url: string): string {
  return url.endsWith("/") ? url.slice(0, -1) : url;
}
