import { describe, expect, it } from "vitest";
import { DOCS_INIT_PATH, DOCS_SCRIPT_PATH } from "./routes/docs.ts";
import { createTestbed, problemOf } from "./testing/testbed.ts";

function expectSecureHeaders(response: Response): void {
  expect(response.headers.get("x-content-type-options")).toBe("nosniff");
  expect(response.headers.get("x-frame-options")).toBe("DENY");
  expect(response.headers.get("referrer-policy")).toBe("no-referrer");
  expect(response.headers.get("strict-transport-security")).toMatch(/^max-age=\d+/);
  expect(response.headers.get("content-security-policy")).toContain("frame-ancestors 'none'");
}

describe("secure headers", () => {
  it("are on JSON answers, problem answers, relayed RPCs and operations", async () => {
    const gateway = await createTestbed();
    const { authorization } = await gateway.signedUp("alice");

    const me = await gateway.request("/v1/users/me", { token: authorization });
    expect(me.status).toBe(200);
    expect(me.headers.get("content-type")).toMatch(/^application\/json/);
    expectSecureHeaders(me);
    // An API answer may load nothing at all.
    expect(me.headers.get("content-security-policy")).toContain("default-src 'none'");

    const refused = await gateway.request("/v1/users/me");
    expect(refused.status).toBe(401);
    expect((await problemOf(refused)).status).toBe(401);
    expectSecureHeaders(refused);

    const unknown = await gateway.request("/v1/nothing-here");
    expect(unknown.status).toBe(404);
    expectSecureHeaders(unknown);

    const invalid = await gateway.request("/v1/auth/login", { method: "POST", json: { username: "" } });
    expect(invalid.status).toBe(400);
    expectSecureHeaders(invalid);

    const rpc = await gateway.request("/instagram.auth.v1.AuthService/GetJwks", {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: "{}",
    });
    expect(rpc.status).toBe(200);
    expectSecureHeaders(rpc);

    expectSecureHeaders(await gateway.request("/healthz"));
  });

  it("let pages of other origins embed image files (no same-origin resource policy)", async () => {
    const gateway = await createTestbed();
    const response = await gateway.request("/healthz");
    expect(response.headers.get("cross-origin-resource-policy")).toBe("cross-origin");
  });
});

describe("/docs", () => {
  it("is a page that loads its scripts from the gateway only, under a strict CSP", async () => {
    const gateway = await createTestbed();
    const response = await gateway.request("/docs");
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toMatch(/^text\/html/);
    const csp = response.headers.get("content-security-policy") ?? "";
    expect(csp).toContain("default-src 'none'");
    expect(csp).toContain("script-src 'self'");
    expect(csp).not.toMatch(/script-src[^;]*(unsafe-inline|unsafe-eval|https?:)/);
    expect(csp).toContain("frame-ancestors 'none'");
    expect(response.headers.get("x-frame-options")).toBe("DENY");
    expect(response.headers.get("x-content-type-options")).toBe("nosniff");

    const html = await response.text();
    const sources = [...html.matchAll(/<script\b[^>]*\bsrc="([^"]+)"/g)].map((match) => match[1]);
    expect(sources).toEqual([DOCS_SCRIPT_PATH, DOCS_INIT_PATH]);
    // No inline script, nothing from another host.
    expect(html).not.toMatch(/<script(?![^>]*\bsrc=)[^>]*>/);
    expect(html).not.toMatch(/https?:\/\//);
  });

  it("serves the reference UI's bundle itself, from the pinned package (no network needed)", async () => {
    const gateway = await createTestbed();
    const plain = await gateway.request(DOCS_SCRIPT_PATH);
    expect(plain.status).toBe(200);
    expect(plain.headers.get("content-type")).toMatch(/^text\/javascript/);
    expect(plain.headers.get("x-content-type-options")).toBe("nosniff");
    const script = await plain.text();
    expect(script.length).toBeGreaterThan(1_000_000);
    expect(script).toContain("createApiReference");

    const zipped = await gateway.request(DOCS_SCRIPT_PATH, { headers: { "accept-encoding": "gzip" } });
    expect(zipped.headers.get("content-encoding")).toBe("gzip");
    const bytes = new Uint8Array(await zipped.arrayBuffer());
    expect(bytes.length).toBeLessThan(script.length / 2);
    const unzipped = await new Response(
      new Blob([bytes]).stream().pipeThrough(new DecompressionStream("gzip")),
    ).text();
    expect(unzipped).toBe(script);
  });

  it("starts the reference on the gateway's own document, with no fonts or proxy from elsewhere", async () => {
    const gateway = await createTestbed();
    const response = await gateway.request(DOCS_INIT_PATH);
    expect(response.status).toBe(200);
    const init = await response.text();
    expect(init).toContain('url: "/openapi.json"');
    expect(init).toContain("withDefaultFonts: false");
    expect(init).not.toMatch(/https?:\/\//);
  });
});
