import { Code, ConnectError, createClient, createRouterTransport } from "@connectrpc/connect";
import { ImageService } from "@instagram/contracts/image";
import { createLogger, type Database, errorBoundary, toConnectError } from "@instagram/kit";
import { connectFailure } from "@instagram/kit/testing";
import { describe, expect, it } from "vitest";
import type { BlobStore } from "../blobs/blob-store.ts";
import { accountGone, unsupportedType, uploadTooLarge } from "../domain/errors.ts";
import { defaultFeedPolicy } from "../domain/feed-policy.ts";
import type { ImageStore } from "../use-cases/image-store.ts";
import { createImageServiceImpl } from "./image-service.ts";

const internals = 'relation "images.images" does not exist (postgres://images@10.0.0.5:5432)';

/** A logger whose lines the test reads. */
function capturedLogger() {
  const lines: Record<string, unknown>[] = [];
  const logger = createLogger({
    service: "image-test",
    level: "error",
    destination: { write: (line: string) => void lines.push(JSON.parse(line)) },
  });
  return { logger, lines };
}

/** image-service's RPCs over a database that fails every query as a broken connection would. */
function serviceOverBrokenDatabase() {
  const { logger, lines } = capturedLogger();
  const db = new Proxy(
    {},
    {
      get() {
        throw new Error(internals);
      },
    },
  ) as unknown as Database;
  const unused = () => {
    throw new Error("not used by these calls");
  };
  const store: ImageStore = {
    db,
    outbox: { publish: unused },
    blobs: {} as BlobStore,
    logger,
    feedPolicy: defaultFeedPolicy,
    kickReaper: () => {},
  };
  // The kit's error boundary, as createServiceApp installs it in front of every service's routes.
  const transport = createRouterTransport(
    (router) => {
      router.service(ImageService, createImageServiceImpl(store));
    },
    { router: { interceptors: [errorBoundary(logger)] } },
  );
  return { client: createClient(ImageService, transport), lines };
}

describe("image-service's Connect errors", () => {
  it("answer an unexpected failure with Internal 'internal error' and log it", async () => {
    const { client, lines } = serviceOverBrokenDatabase();
    const failure = await connectFailure(client.getImage({ id: "0198a0c4-5b1e-7c3a-9f00-000000000001" }));
    expect(failure.code).toBe(Code.Internal);
    expect(failure.rawMessage).toBe("internal error");
    expect(JSON.stringify(failure)).not.toContain("10.0.0.5");
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatchObject({
      level: "error",
      msg: "request failed",
      err: { message: internals },
    });
  });

  it("keep the codes and messages of refusals", async () => {
    const { client, lines } = serviceOverBrokenDatabase();
    const notFound = await connectFailure(client.getImage({ id: "not-an-id" }));
    expect([notFound.code, notFound.rawMessage]).toEqual([Code.NotFound, "image not found"]);
    const anonymous = await connectFailure(client.likeImage({ id: "0198a0c4-5b1e-7c3a-9f00-000000000001" }));
    expect(anonymous.code).toBe(Code.Unauthenticated);
    const badLimit = await connectFailure(client.listTagImages({ tag: "sunset", page: { limit: 101 } }));
    expect(badLimit.code).toBe(Code.InvalidArgument);
    expect(badLimit.rawMessage).toContain("limit");
    expect(lines).toEqual([]);
  });

  it("map each domain error kind to its code", () => {
    const { logger, lines } = capturedLogger();
    const tooLarge = toConnectError(uploadTooLarge(100), logger);
    expect([tooLarge.code, tooLarge.rawMessage]).toEqual([
      Code.ResourceExhausted,
      "the file is larger than 100 bytes",
    ]);
    const unsupported = toConnectError(unsupportedType(), logger);
    expect(unsupported.code).toBe(Code.InvalidArgument);
    expect(toConnectError(accountGone(), logger).code).toBe(Code.Unauthenticated);
    const passed = new ConnectError("at most 500 ids per call", Code.InvalidArgument);
    expect(toConnectError(passed, logger)).toBe(passed);
    expect(lines).toEqual([]);
  });
});
