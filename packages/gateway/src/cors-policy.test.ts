import { Hono } from "hono";
import { describe, expect, it } from "vitest";
import { corsPolicy } from "./cors-policy.ts";

function appWith(origins: string): Hono {
  const app = new Hono();
  app.use(corsPolicy(origins));
  app.get("/json", (c) => c.json({ ok: true }));
  // Response.redirect's headers are immutable, as those of a fetch() answer passed on.
  app.get("/moved", () => Response.redirect("https://elsewhere.example/", 302));
  return app;
}

describe("corsPolicy", () => {
  it("puts the CORS headers on an answer made by the handler", async () => {
    const response = await appWith("*").request("/json", { headers: { origin: "https://app.example" } });
    expect(await response.json()).toEqual({ ok: true });
    expect(response.headers.get("access-control-allow-origin")).toBe("*");
    expect(response.headers.get("access-control-expose-headers")?.toLowerCase()).toContain("retry-after");
    expect(response.headers.get("vary")).toBeNull();
  });

  it("names an allowed origin, varies on it, and leaves others out", async () => {
    const app = appWith("https://app.example, https://admin.example");
    const allowed = await app.request("/json", { headers: { origin: "https://admin.example" } });
    expect(allowed.headers.get("access-control-allow-origin")).toBe("https://admin.example");
    expect(allowed.headers.get("vary")).toBe("Origin");
    const other = await app.request("/json", { headers: { origin: "https://evil.example" } });
    expect(other.headers.get("access-control-allow-origin")).toBeNull();
    expect(other.headers.get("vary")).toBe("Origin");
  });

  it("copies an answer whose headers cannot change", async () => {
    const response = await appWith("*").request("/moved", { headers: { origin: "https://app.example" } });
    expect(response.status).toBe(302);
    expect(response.headers.get("location")).toBe("https://elsewhere.example/");
    expect(response.headers.get("access-control-allow-origin")).toBe("*");
  });
});
