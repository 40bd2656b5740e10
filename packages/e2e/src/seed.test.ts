import { spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import { createInstagramClient, signIn } from "@instagram/client";
import { describe, expect, inject, it } from "vitest";
import { eventually } from "./eventually.ts";

const root = fileURLToPath(new URL("../../..", import.meta.url));

/** Runs `npm run seed` against the stack under test, as a user would. */
function seed(baseUrl: string): { status: number | null; output: string } {
  const run = spawnSync("npm", ["run", "--silent", "seed"], {
    cwd: root,
    env: { ...process.env, GATEWAY_URL: baseUrl, SEED_PEOPLE: "4", SEED_PICTURES: "2" },
    encoding: "utf8",
    timeout: 120_000,
  });
  return { status: run.status, output: `${run.stdout}${run.stderr}` };
}

describe("npm run seed", () => {
  const baseUrl = inject("gatewayUrl");

  it("fills the stack with demo data through the public API, and a second run doubles nothing", {
    timeout: 300_000,
  }, async () => {
    for (const round of [1, 2]) {
      const run = seed(baseUrl);
      expect(run.status, `round ${round}: ${run.output}`).toBe(0);
    }
    const { client } = await signIn({ baseUrl, username: "demo_01", password: "demo seed passphrase 2026" });
    const profile = await client.GET("/v1/users/{username}", { params: { path: { username: "demo_02" } } });
    expect(profile.data).toMatchObject({ followersCount: 3, followingCount: 3 });
    // Counts that travel as events (comments → image-service) settle a moment later.
    await eventually(
      async () => {
        const images = await client.GET("/v1/users/{username}/images", {
          params: { path: { username: "demo_02" }, query: { limit: 10 } },
        });
        expect(images.data?.items).toHaveLength(2);
        for (const image of images.data?.items ?? []) {
          // Three followers each like and comment once, however many times the seed ran.
          expect(image).toMatchObject({ likesCount: 3, commentsCount: 3 });
          expect(image.caption).toMatch(/^A bit of #\w+ with @demo_\d\d$/);
        }
      },
      { timeoutMs: 15_000 },
    );
    const anonymous = createInstagramClient({ baseUrl });
    const signUp = await anonymous.POST("/v1/accounts", {
      body: { username: "demo_01", email: "demo_01@example.com", password: "demo seed passphrase 2026" },
    });
    expect(signUp.response.status).toBe(409);
  });
});
