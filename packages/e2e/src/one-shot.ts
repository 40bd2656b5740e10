import { Agent, request } from "node:http";
import type { Reply } from "./client.ts";

/**
 * One request on a connection of its own, for requests the server may answer before it has read
 * the body: the shared pool of `fetch` never inherits that connection. The request asks for
 * keep-alive, as browsers and `fetch` do, so the answer's Connection header tells what the server
 * means to do with the connection.
 */
export function oneShot(
  url: string,
  init: { method: string; headers?: Record<string, string>; body?: string },
): Promise<Reply<unknown>> {
  const agent = new Agent({ keepAlive: true, maxSockets: 1 });
  const done = new Promise<Reply<unknown>>((resolve, reject) => {
    const outgoing = request(url, { method: init.method, headers: init.headers, agent }, (incoming) => {
      const chunks: Buffer[] = [];
      incoming.on("data", (chunk: Buffer) => chunks.push(chunk));
      incoming.on("error", reject);
      incoming.on("end", () => {
        const text = Buffer.concat(chunks).toString("utf8");
        const headers = new Headers();
        for (const [name, value] of Object.entries(incoming.headers)) {
          if (value !== undefined) headers.set(name, Array.isArray(value) ? value.join(", ") : value);
        }
        const type = headers.get("content-type") ?? "";
        const body: unknown = text !== "" && type.includes("json") ? JSON.parse(text) : undefined;
        resolve({ status: incoming.statusCode ?? 0, headers, body, text });
      });
    });
    // The server may answer and hang up before it has read everything we send.
    outgoing.on("error", (error: NodeJS.ErrnoException) => {
      if (error.code !== "EPIPE" && error.code !== "ECONNRESET") reject(error);
    });
    outgoing.end(init.body);
  });
  return done.finally(() => agent.destroy());
}
