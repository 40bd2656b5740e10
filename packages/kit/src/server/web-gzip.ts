import { Code, ConnectError } from "@connectrpc/connect";
import type { Compression } from "@connectrpc/connect/protocol";

/**
 * gzip for Connect servers and clients on web streams (CompressionStream), so a fetch app (Node,
 * Deno) takes a gzip-compressed request. Decompression stops as soon as the message would pass
 * readMaxBytes: a small bomb never inflates in memory.
 */
export const gzipCompression: Compression = {
  name: "gzip",
  compress: (bytes) =>
    collect(new Blob([toArrayBuffer(bytes)]).stream().pipeThrough(new CompressionStream("gzip"))),
  async decompress(bytes, readMaxBytes) {
    if (bytes.length === 0) return new Uint8Array(0);
    const inflated = new Blob([toArrayBuffer(bytes)]).stream().pipeThrough(new DecompressionStream("gzip"));
    try {
      return await collect(inflated, readMaxBytes);
    } catch (error) {
      if (error instanceof ConnectError) throw error;
      throw new ConnectError("the message is not valid gzip", Code.InvalidArgument);
    }
  },
};

function toArrayBuffer(bytes: Uint8Array): ArrayBuffer {
  // A copy: a Node Buffer is often a view into a shared pool (and its slice() is no copy).
  return new Uint8Array(bytes).buffer;
}

async function collect(stream: ReadableStream<Uint8Array>, maxBytes = Number.POSITIVE_INFINITY) {
  const chunks: Uint8Array[] = [];
  let size = 0;
  const reader = stream.getReader();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > maxBytes) {
      await reader.cancel();
      throw new ConnectError(
        `message is larger than configured readMaxBytes ${maxBytes} after decompression`,
        Code.ResourceExhausted,
      );
    }
    chunks.push(value);
  }
  const joined = new Uint8Array(size);
  let offset = 0;
  for (const chunk of chunks) {
    joined.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return joined;
}
