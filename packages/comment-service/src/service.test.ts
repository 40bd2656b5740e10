import { fromBinary } from "@bufbuild/protobuf";
import { Code, ConnectError, createClient } from "@connectrpc/connect";
import { CommentCreatedSchema, CommentService } from "@instagram/contracts/comment";
import { ImageService } from "@instagram/contracts/image";
import {
  createServiceApp,
  createServiceTransport,
  forwardAuthorization,
  newId,
  type ServiceModule,
  type ServiceRuntime,
} from "@instagram/kit";
import { launchService } from "@instagram/kit/node";
import { createTestRuntime, createTestTokens, recordBus } from "@instagram/kit/testing";
import { afterAll, expect, it } from "vitest";
import { createCommentService, loadCommentEnv } from "./service.ts";

let runtime: ServiceRuntime | undefined;
afterAll(async () => {
  await runtime?.close?.();
});

/** An image-service stand-in that knows one image and is too slow about another. */
function fakeImageService(
  known: { imageId: string; ownerId: string },
  slowImageId: string,
  seen: string[],
): ServiceModule {
  return {
    name: "image",
    async start() {
      const routes = (router: Parameters<Parameters<typeof createServiceApp>[0]["routes"]>[0]) => {
        router.service(ImageService, {
          async batchGetImageOwners(req, ctx) {
            seen.push(ctx.requestHeader.get("authorization") ?? "");
            if (req.ids.includes(slowImageId)) await new Promise((resolve) => setTimeout(resolve, 2000));
            return { owners: req.ids.includes(known.imageId) ? [known] : [] };
          },
        });
      };
      return { app: createServiceApp({ name: "image", routes, readiness: async () => {} }), routes };
    },
  };
}

it("serves CommentService over HTTP, asks image-service with a deadline, and relays its events to the bus", async () => {
  const tokens = await createTestTokens();
  runtime = createTestRuntime();
  const image = { imageId: newId(), ownerId: newId() };
  const slowImage = newId();
  const seen: string[] = [];
  const imageService = await launchService(fakeImageService(image, slowImage, seen), runtime, {
    host: "127.0.0.1",
    port: 0,
  });
  const env = loadCommentEnv({ IMAGE_LOOKUP_TIMEOUT_MS: "300", LOG_LEVEL: "silent" });
  expect(env.PORT).toBe(8084);
  const service = await launchService(createCommentService(env, { verifier: tokens.verifier }), runtime, {
    host: "127.0.0.1",
    port: 0,
  });

  const probe = await recordBus(runtime.bus, ["comments"], "probe");
  const relayed = probe.events;

  const author = newId();
  const authorization = await tokens.authorizationFor(author, { username: "erin" });
  const client = createClient(
    CommentService,
    createServiceTransport({
      discovery: runtime.discovery,
      service: "comment",
      interceptors: [forwardAuthorization(authorization)],
    }),
  );

  const { comment } = await client.createComment({ imageId: image.imageId, text: "first #one" });
  expect(comment).toMatchObject({
    imageId: image.imageId,
    author: { id: author, username: "erin" },
    hashtags: ["one"],
  });
  expect(seen).toEqual([authorization]);

  const started = Date.now();
  const slow = await client
    .createComment({ imageId: slowImage, text: "hm" })
    .catch((e: unknown) => ConnectError.from(e));
  expect(slow).toBeInstanceOf(ConnectError);
  expect((slow as ConnectError).code).toBe(Code.Unavailable);
  expect(Date.now() - started).toBeLessThan(1900);

  const deadline = Date.now() + 10_000;
  while (relayed.length === 0 && Date.now() < deadline)
    await new Promise((resolve) => setTimeout(resolve, 20));
  expect(relayed.map((e) => [e.topic, e.type, e.aggregateId])).toEqual([
    ["comments", "CREATED", image.imageId],
  ]);
  expect(fromBinary(CommentCreatedSchema, relayed[0]?.payload ?? new Uint8Array()).commentId).toBe(
    comment?.id,
  );

  for (const path of ["/healthz", "/readyz", "/metrics"]) {
    expect((await fetch(`${service.url}${path}`)).status).toBe(200);
  }

  await probe.close();
  await service.stop();
  await imageService.stop();
}, 120_000); // PGlite boots in seconds on a busy machine
