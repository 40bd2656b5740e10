import { createServer, type Server } from "node:net";
import { ConfigError } from "@instagram/kit";
import { afterEach, describe, expect, it } from "vitest";
import { portIsBusy, requireCommand, requireFreePorts } from "./dev-checks.ts";
import { parseExports } from "./dev-infra.ts";
import { freePorts } from "./free-port.ts";

const listening: Server[] = [];
afterEach(async () => {
  await Promise.all(listening.splice(0).map((server) => new Promise((done) => server.close(done))));
});

function occupy(port: number): Promise<void> {
  const server = createServer();
  listening.push(server);
  return new Promise((done) => server.listen(port, "127.0.0.1", done));
}

describe("the development stack's checks", () => {
  it("tells a busy port from a free one", async () => {
    const { taken, free } = await freePorts(["taken", "free"]);
    await occupy(taken);
    expect(await portIsBusy("127.0.0.1", taken)).toBe(true);
    expect(await portIsBusy("127.0.0.1", free)).toBe(false);
  });

  it("names each service whose port is taken, and the variable that moves it", async () => {
    const ports = await freePorts(["gateway", "auth", "user", "image", "comment"]);
    await occupy(ports.gateway);
    await occupy(ports.comment);
    const failure = await requireFreePorts("127.0.0.1", ports).catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(ConfigError);
    const message = (failure as ConfigError).message;
    expect(message).toContain(`port ${ports.gateway} (gateway)`);
    expect(message).toContain("PORT_GATEWAY=");
    expect(message).toContain(`port ${ports.comment} (comment)`);
    expect(message).not.toContain("(auth)");
  });

  it("passes when every port is free", async () => {
    const ports = await freePorts(["gateway", "auth", "user", "image", "comment"]);
    await expect(requireFreePorts("127.0.0.1", ports)).resolves.toBeUndefined();
  });

  it("says which program is missing", async () => {
    await expect(requireCommand("sh", "a shell")).resolves.toBeUndefined();
    await expect(requireCommand("no-such-program-here", "it starts the thing")).rejects.toThrow(
      "`no-such-program-here` is not installed: it starts the thing",
    );
  });

  it("reads the variables scripts/infra.sh env prints", () => {
    const text = [
      "export DATABASE_URL=postgres://postgres@127.0.0.1:25432/instagram",
      "export KAFKA_BROKERS=127.0.0.1:29092",
      "export S3_BUCKET='images'",
      "[infra] something else",
    ].join("\n");
    expect(parseExports(text)).toEqual({
      DATABASE_URL: "postgres://postgres@127.0.0.1:25432/instagram",
      KAFKA_BROKERS: "127.0.0.1:29092",
      S3_BUCKET: "images",
    });
  });
});
