import { Hono } from "hono";
import { describe, expect, it } from "vitest";
import { clientAddressOf } from "./client-address.ts";

/** An app that answers with the address clientAddressOf finds; `env` as the runtime hands it over. */
function addressFor(env: unknown, opts: { trustedProxy: boolean }, headers: Record<string, string> = {}) {
  const address = clientAddressOf(opts);
  const app = new Hono().get("/", (c) => c.text(address(c) ?? "none"));
  return Promise.resolve(app.fetch(new Request("http://gateway/", { headers }), env)).then((r) => r.text());
}

describe("clientAddressOf", () => {
  it("takes Deno.serve's remote address (the Deno entry hands its handler info over as env)", async () => {
    const info = { remoteAddr: { transport: "tcp", hostname: "203.0.113.7", port: 51234 } };
    expect(await addressFor(info, { trustedProxy: false })).toBe("203.0.113.7");
  });

  it("ignores X-Forwarded-For unless behind a trusted proxy, and then takes its last hop", async () => {
    const info = { remoteAddr: { transport: "tcp", hostname: "10.0.0.2", port: 1 } };
    const forwarded = { "x-forwarded-for": "198.51.100.1, 192.0.2.9" };
    expect(await addressFor(info, { trustedProxy: false }, forwarded)).toBe("10.0.0.2");
    expect(await addressFor(info, { trustedProxy: true }, forwarded)).toBe("192.0.2.9");
  });

  it("finds none when the runtime gives nothing (a test calling the app directly)", async () => {
    expect(await addressFor(undefined, { trustedProxy: false })).toBe("none");
  });
});
