import { createServer } from "node:net";

/** A TCP port that was free a moment ago: listen on 0, read the port, close. */
export function freePort(host = "127.0.0.1"): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.on("error", reject);
    server.listen(0, host, () => {
      const address = server.address();
      server.close(() => {
        if (address && typeof address === "object") resolve(address.port);
        else reject(new Error("no port assigned"));
      });
    });
  });
}

/** Distinct free ports, one per name. */
export async function freePorts<N extends string>(
  names: readonly N[],
  host?: string,
): Promise<Record<N, number>> {
  const taken = new Set<number>();
  const ports = {} as Record<N, number>;
  for (const name of names) {
    let port = await freePort(host);
    while (taken.has(port)) port = await freePort(host);
    taken.add(port);
    ports[name] = port;
  }
  return ports;
}
