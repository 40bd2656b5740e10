import { createServer } from "node:http";
import type { DistributedStack, ServiceName } from "@instagram/stack";

/**
 * Lets tests (in worker threads) kill and restart services of the stack that globalSetup owns:
 * POST /kill/<service>, POST /restart/<service>.
 */
export async function serveStackControl(
  stack: DistributedStack,
): Promise<{ url: string; close(): Promise<void> }> {
  const server = createServer((request, response) => {
    const match = /^\/(kill|restart)\/([a-z]+)$/.exec(request.url ?? "");
    if (request.method !== "POST" || !match) {
      response.writeHead(404).end();
      return;
    }
    const [, action, service] = match as unknown as [string, "kill" | "restart", ServiceName];
    const done = action === "kill" ? stack.kill(service) : stack.restart(service);
    done.then(
      () => response.writeHead(204).end(),
      (error: unknown) => response.writeHead(500).end(error instanceof Error ? error.message : String(error)),
    );
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const address = server.address();
  if (!address || typeof address === "string") throw new Error("control server has no port");
  return {
    url: `http://127.0.0.1:${address.port}`,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
