import { describe, expect, it } from "vitest";
import { dnsAddresses } from "./dns.ts";
import { createStaticDiscovery } from "./static.ts";

describe("dnsAddresses", () => {
  it("gives every address of a name, IPv4 first", async () => {
    const addresses = await dnsAddresses("localhost");
    expect(addresses[0]).toBe("127.0.0.1");
    expect(new Set(addresses).size).toBe(addresses.length);
  });

  it("fails for a name that does not resolve, so static discovery keeps the name itself", async () => {
    await expect(dnsAddresses("no-such-host.invalid")).rejects.toThrow();
    const discovery = createStaticDiscovery(
      { user: ["http://no-such-host.invalid:8082"] },
      { lookup: dnsAddresses },
    );
    expect(await discovery.resolve("user")).toEqual(["http://no-such-host.invalid:8082"]);
  });
});
