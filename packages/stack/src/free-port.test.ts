import { createServer } from "node:net";
import { describe, expect, it } from "vitest";
import { freePort, freePorts } from "./free-port.ts";

describe("freePort", () => {
  it("finds a port that can be listened on", async () => {
    const port = await freePort();
    const server = createServer();
    await new Promise<void>((resolve, reject) => {
      server.once("error", reject);
      server.listen(port, "127.0.0.1", resolve);
    });
    await new Promise((resolve) => server.close(resolve));
    expect(port).toBeGreaterThan(0);
  });

  it("gives distinct ports, one per name", async () => {
    const ports = await freePorts(["a", "b", "c", "d", "e"]);
    expect(Object.keys(ports)).toEqual(["a", "b", "c", "d", "e"]);
    expect(new Set(Object.values(ports)).size).toBe(5);
  });
});
