import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { launchChromium } from "./chromium.ts";
import type { Walkthrough, Wire } from "./page/public-rpcs.ts";
import { type PageServer, startPageServer } from "./page-server.ts";
import { gatewayUrl, pagePort } from "./target.ts";

let browser: Browser;
let pages: PageServer;
// The same page on another port: another origin, not in CORS_ORIGINS.
let strangerPages: PageServer;

beforeAll(async () => {
  pages = await startPageServer("127.0.0.1", pagePort());
  strangerPages = await startPageServer("127.0.0.1", 0);
  browser = await launchChromium();
});

afterAll(async () => {
  await browser?.close();
  await pages?.close();
  await strangerPages?.close();
});

async function openPage(origin: string): Promise<Page> {
  const page = await browser.newPage();
  await page.goto(`${origin}/`);
  await page.waitForFunction(() => document.getElementById("status")?.textContent === "ready");
  return page;
}

function walkThrough(page: Page, wire: Wire, username: string): Promise<Walkthrough> {
  return page.evaluate(
    ([url, w, name]) =>
      (
        globalThis as unknown as {
          publicRpcs: { walkThrough(url: string, wire: Wire, name: string): Promise<Walkthrough> };
        }
      ).publicRpcs.walkThrough(url, w, name),
    [gatewayUrl(), wire, username] as const,
  );
}

describe("connect-web on a page of another origin, through the gateway's public relay", () => {
  it.each<[Wire, string]>([
    ["connect-json", "web_json"],
    ["connect-binary-get", "web_binary"],
    ["grpc-web", "web_grpcweb"],
  ])(
    "%s: GetJwks, SignUp, Login, GetProfile and a refused sign-up's field errors",
    async (wire, username) => {
      const page = await openPage(pages.origin);
      const seen = await walkThrough(page, wire, username);
      await page.close();

      expect(seen.jwksKeyTypes).toEqual(["OKP"]);
      expect(seen.signedUp).toBe(username);
      expect(seen.loggedInAs).toBe(username);
      expect(seen.profile.username).toBe(username);
      expect(seen.anonymousProfile).toBe("Unauthenticated");
      expect(seen.refusal.code).toBe("InvalidArgument");
      // With the Connect protocol they come from a response header: readable only when CORS exposes it.
      expect(seen.refusal.fieldErrors?.map((problem) => problem.path)).toEqual([
        "username",
        "email",
        "password",
      ]);
      for (const problem of seen.refusal.fieldErrors ?? []) expect(problem.message).not.toBe("");
    },
  );

  it("is refused by CORS from an origin the gateway does not allow", async () => {
    const page = await openPage(strangerPages.origin);
    const failure = await walkThrough(page, "connect-json", "web_refused").then(
      () => "answered",
      (error: Error) => error.message,
    );
    await page.close();
    expect(failure).toMatch(/Failed to fetch/);
  });
});
