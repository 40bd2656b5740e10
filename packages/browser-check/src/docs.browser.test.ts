import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { launchChromium } from "./chromium.ts";
import { gatewayUrl } from "./target.ts";

let browser: Browser;

beforeAll(async () => {
  browser = await launchChromium();
});

afterAll(async () => {
  await browser?.close();
});

describe("the gateway's /docs in a browser", () => {
  it("renders the API reference from the gateway's own assets, under its CSP, with nothing from elsewhere", async () => {
    const gateway = new URL(gatewayUrl()).origin;
    const page = await browser.newPage();
    // As offline: any request to another origin is refused and recorded.
    const elsewhere: string[] = [];
    await page.route("**/*", (route) => {
      const url = route.request().url();
      if (url.startsWith("data:") || url.startsWith("blob:") || new URL(url).origin === gateway) {
        return route.continue();
      }
      elsewhere.push(url);
      return route.abort("internetdisconnected");
    });
    const problems: string[] = [];
    page.on("pageerror", (error) => problems.push(`page error: ${error.message}`));
    page.on("console", (message) => {
      if (message.type() === "error" && /Content.Security.Policy/i.test(message.text())) {
        problems.push(`CSP: ${message.text()}`);
      }
    });

    const response = await page.goto(`${gateway}/docs`);
    expect(response?.status()).toBe(200);
    expect(response?.headers()["content-security-policy"]).toContain("script-src 'self'");
    // The document's title, an operation and the public RPCs' table from /openapi.json, rendered by the UI.
    const shown = { timeout: 30_000 };
    await page.getByRole("heading", { name: "instagram-clone API" }).first().waitFor(shown);
    await page.getByText("Sign up", { exact: true }).first().waitFor(shown);
    await page.getByText("/instagram.auth.v1.AuthService/GetJwks", { exact: true }).first().waitFor(shown);
    await page.close();

    expect(elsewhere).toEqual([]);
    expect(problems).toEqual([]);
  });
});
