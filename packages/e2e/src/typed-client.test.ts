import { createInstagramClient, imageUpload, signIn } from "@instagram/client";
import { describe, expect, inject, it } from "vitest";
import { eventually } from "./eventually.ts";
import { uniqueUsername } from "./people.ts";
import { picture } from "./test-images.ts";

// The typed client (@instagram/client, generated from docs/openapi.json) against the stack under
// test: what a TypeScript user of the REST API would write.
describe("typed REST client", () => {
  const baseUrl = inject("gatewayUrl");

  it("signs up, logs in, posts a picture and finds it in the feed", { timeout: 60_000 }, async () => {
    const username = uniqueUsername("typed");
    const password = `pw-${username}-secret`;
    const anonymous = createInstagramClient({ baseUrl });
    const signUp = await anonymous.POST("/v1/accounts", {
      body: { username, email: `${username}@example.com`, password },
    });
    expect(signUp.response.status).toBe(201);
    expect(signUp.data?.username).toBe(username);

    const { client, tokens } = await signIn({ baseUrl, username, password });
    expect(tokens.tokenType).toBe("Bearer");
    const jpeg = new Blob([new Uint8Array(await picture("jpeg"))], { type: "image/jpeg" });
    const posted = await client.POST("/v1/images", { body: imageUpload(jpeg, "typed #client") });
    expect(posted.response.status).toBe(201);
    const id = posted.data?.id;
    expect(id).toBeTypeOf("string");

    await eventually(async () => {
      const feed = await client.GET("/v1/feed", { params: { query: { limit: 10 } } });
      expect(feed.data?.items.map((image) => image.id)).toContain(id);
    });
  });

  it("gives refusals as typed problems", async () => {
    const anonymous = createInstagramClient({ baseUrl });
    const { data, error, response } = await anonymous.POST("/v1/accounts", {
      body: { username: "No Spaces Allowed", email: "not-an-email", password: "x" },
    });
    expect(data).toBeUndefined();
    expect(response.status).toBe(400);
    expect(response.headers.get("content-type")).toContain("application/problem+json");
    expect(error?.errors?.map((field) => field.path)).toEqual(
      expect.arrayContaining(["username", "email", "password"]),
    );
  });
});
