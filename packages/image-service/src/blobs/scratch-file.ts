import { type FileHandle, open } from "node:fs/promises";

const CHUNK_BYTES = 64 * 1024;

/**
 * A body being written whole to a file in the blob store's scratch space (a rendition sharp
 * writes there). As a stream it is the file's bytes once written; FileBlobStore.put moves the file
 * into place instead of copying it.
 */
export class ScratchFile extends ReadableStream<Uint8Array> {
  /** The file's path once it is complete; rejects with the writer's error. */
  readonly written: Promise<string>;

  constructor(written: Promise<string>) {
    let file: FileHandle | undefined;
    const close = async (): Promise<void> => {
      await file?.close();
      file = undefined;
    };
    super(
      {
        async pull(controller) {
          try {
            file ??= await open(await written, "r");
            const { bytesRead, buffer } = await file.read({ buffer: Buffer.allocUnsafe(CHUNK_BYTES) });
            if (bytesRead > 0) return controller.enqueue(buffer.subarray(0, bytesRead));
            await close();
            controller.close();
          } catch (error) {
            await close().catch(() => {});
            controller.error(error);
          }
        },
        cancel: close,
      },
      // Nothing is opened until someone reads: the blob store usually moves the file instead.
      { highWaterMark: 0 },
    );
    this.written = written;
  }
}
