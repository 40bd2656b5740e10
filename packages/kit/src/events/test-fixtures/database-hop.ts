import { createServer, type Server, type Socket, connect as tcpConnect } from "node:net";

/**
 * A TCP hop in front of PostgreSQL that can go down like the server does when killed: open
 * connections are cut (the driver sees them closed) and new ones are refused, until it is up again.
 */
export async function databaseHop(
  target: string,
  opts: { cutWhenSent?: string } = {},
): Promise<{ url: string; down(): Promise<void>; up(): Promise<void>; cuts: () => number }> {
  let cuts = 0;
  const upstream = new URL(target);
  const sockets = new Set<Socket>();
  let server: Server | undefined;
  let port = 0;
  const listen = async (): Promise<void> => {
    server = createServer((client) => {
      const peer = tcpConnect(Number(upstream.port || 5432), upstream.hostname);
      for (const socket of [client, peer]) {
        sockets.add(socket);
        socket.on("close", () => sockets.delete(socket));
        socket.on("error", () => undefined);
      }
      // cutWhenSent: the first connection that sends this text dies right then (a backend killed).
      client.on("data", (chunk: Buffer) => {
        if (
          opts.cutWhenSent !== undefined &&
          cuts === 0 &&
          chunk.toString("latin1").includes(opts.cutWhenSent)
        ) {
          cuts++;
          client.resetAndDestroy(); // RST: the driver sees ECONNRESET, as from a killed backend
          peer.destroy();
        }
      });
      client.pipe(peer).pipe(client);
    });
    await new Promise<void>((resolve) => server?.listen(port, "127.0.0.1", resolve));
    const address = server.address();
    if (typeof address === "object" && address !== null) port = address.port;
  };
  await listen();
  const url = new URL(target);
  url.hostname = "127.0.0.1";
  url.port = String(port);
  return {
    url: url.toString(),
    async down() {
      const closing = new Promise<void>((resolve) => server?.close(() => resolve()));
      for (const socket of sockets) socket.destroy();
      await closing;
    },
    up: listen,
    cuts: () => cuts,
  };
}
