import { gzipSync } from "node:zlib";
import { Code, ConnectError } from "@connectrpc/connect";
import { describe, expect, it } from "vitest";
import { gzipCompression } from "./web-gzip.ts";

describe("gzipCompression", () => {
  it("round-trips, and reads what zlib wrote", async () => {
    const text = new TextEncoder().encode('{"username":"alice"}'.repeat(50));
    const packed = await gzipCompression.compress(text);
    expect(packed.byteLength).toBeLessThan(text.byteLength);
    expect(await gzipCompression.decompress(packed, 1 << 20)).toEqual(text);
    expect(await gzipCompression.decompress(gzipSync(text), 1 << 20)).toEqual(text);
  });

  it("stops a bomb at readMaxBytes with ResourceExhausted", async () => {
    const bomb = gzipSync(new Uint8Array(50 * 1024 * 1024));
    expect(bomb.byteLength).toBeLessThan(100_000);
    const failure = await gzipCompression.decompress(bomb, 64 * 1024).catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(ConnectError);
    expect((failure as ConnectError).code).toBe(Code.ResourceExhausted);
  });

  it("refuses bytes that are not gzip with InvalidArgument", async () => {
    const failure = await gzipCompression
      .decompress(new TextEncoder().encode("not gzip at all"), 1024)
      .catch((error: unknown) => error);
    expect((failure as ConnectError).code).toBe(Code.InvalidArgument);
  });
});
