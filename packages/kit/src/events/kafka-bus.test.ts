import { createServer } from "node:net";
import pino from "pino";
import { describe, expect, it } from "vitest";
import { createKafkaBus } from "./kafka-bus.ts";

/** A local port nothing listens on (bound, then closed again). */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const address = server.address();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  if (typeof address !== "object" || address === null) throw new Error("no port");
  return address.port;
}

describe("kafka bus readiness", () => {
  it("answers ping quickly with an error while no broker can be reached", async () => {
    const bus = createKafkaBus({
      brokers: [`127.0.0.1:${await closedPort()}`],
      clientId: "kit-ping-test",
      logger: pino({ level: "silent" }),
    });
    try {
      const started = Date.now();
      await expect(bus.ping()).rejects.toThrow();
      expect(Date.now() - started).toBeLessThan(3_000);
    } finally {
      await bus.close();
    }
  }, 20_000);
});
