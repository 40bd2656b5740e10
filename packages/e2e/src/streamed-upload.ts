import { Agent, type ClientRequest, request } from "node:http";
import type { Reply } from "./client.ts";

export interface StreamedUpload {
  /** The answer, read as soon as it arrived (the rest of the body is then never sent). */
  reply: Reply<unknown>;
  /** How many bytes of the body went out before the answer came. */
  sent: number;
}

const chunkSize = 256 * 1024;

/**
 * The bytes of a multipart upload whose `file` part never ends: a JPEG's first bytes (so it passes
 * the check of its type), then zeros, made lazily chunk by chunk as the reader pulls.
 */
export function endlessJpegForm(boundary: string): ReadableStream<Uint8Array> {
  let started = false;
  return new ReadableStream<Uint8Array>(
    {
      pull(controller) {
        if (!started) {
          started = true;
          const head =
            `--${boundary}\r\ncontent-disposition: form-data; name="file"; filename="huge.jpg"\r\n` +
            "content-type: image/jpeg\r\n\r\n";
          const jpegStart = [0xff, 0xd8, 0xff, 0xe0, 0x00, 0x10, 0x4a, 0x46, 0x49, 0x46, 0x00, 0x01];
          controller.enqueue(Buffer.concat([Buffer.from(head), Buffer.from(jpegStart)]));
          return;
        }
        controller.enqueue(new Uint8Array(chunkSize));
      },
    },
    { highWaterMark: 0 },
  );
}

/**
 * Streams `body` to `url` on a connection of its own (chunked, or with the `content-length` given),
 * stopping as soon as the answer arrives or after `maxBytes`, whichever comes first. After
 * `maxBytes` without an answer the request is ended there and the answer awaited. With
 * `Expect: 100-continue` among the headers, the body waits for the server's 100 Continue.
 */
export async function streamUpload(
  url: string,
  init: { headers: Record<string, string>; body: ReadableStream<Uint8Array>; maxBytes: number },
): Promise<StreamedUpload> {
  const agent = new Agent({ keepAlive: false, maxSockets: 1 });
  const outgoing = request(url, { method: "POST", headers: init.headers, agent });
  const failed = new Promise<never>((_, reject) =>
    outgoing.on("error", (error: NodeJS.ErrnoException) => {
      // The server may answer and hang up while we are still sending.
      if (error.code !== "EPIPE" && error.code !== "ECONNRESET") reject(error);
    }),
  );
  const answered = new Promise<Reply<unknown>>((resolve, reject) => {
    let heard = false;
    outgoing.on("close", () => {
      if (!heard) reject(new Error(`the connection to ${url} closed without an answer`));
    });
    outgoing.on("response", (incoming) => {
      heard = true;
      const chunks: Buffer[] = [];
      incoming.on("data", (part: Buffer) => chunks.push(part));
      incoming.on("error", reject);
      incoming.on("end", () => {
        const text = Buffer.concat(chunks).toString("utf8");
        const headers = new Headers();
        for (const [name, value] of Object.entries(incoming.headers)) {
          if (value !== undefined) headers.set(name, Array.isArray(value) ? value.join(", ") : value);
        }
        const type = headers.get("content-type") ?? "";
        const body: unknown = text !== "" && type.includes("json") ? JSON.parse(text) : undefined;
        resolve({ status: incoming.statusCode ?? 0, headers, body, text });
      });
    });
  });
  let responded = false;
  // Either may settle after we are done with them; their outcome is read below or not at all.
  answered.then(
    () => {
      responded = true;
    },
    () => {},
  );
  failed.catch(() => {});

  // As curl does: with `Expect: 100-continue`, no body before the server asks for it.
  if (
    Object.entries(init.headers).some(
      ([name, value]) => name.toLowerCase() === "expect" && /100-continue/i.test(value),
    )
  ) {
    outgoing.flushHeaders();
    const asked = new Promise<void>((go) => outgoing.once("continue", go));
    await Promise.race([
      asked,
      answered.then(
        () => {},
        () => {},
      ),
    ]);
  }
  const reader = init.body.getReader();
  let sent = 0;
  try {
    while (!responded && sent < init.maxBytes && !outgoing.destroyed) {
      const next = await reader.read();
      if (next.done) break;
      sent += next.value.byteLength;
      if (!outgoing.write(next.value)) await writable(outgoing, answered);
    }
    if (!responded && !outgoing.destroyed) outgoing.end();
    const reply = await Promise.race([answered, failed]);
    return { reply, sent };
  } finally {
    await reader.cancel().catch(() => {});
    outgoing.destroy();
    agent.destroy();
  }
}

/** Until the request may take more bytes, the answer came, or the connection is gone. */
function writable(outgoing: ClientRequest, answered: Promise<unknown>): Promise<void> {
  return new Promise((resume) => {
    const go = (): void => {
      outgoing.off("drain", go);
      outgoing.off("close", go);
      outgoing.off("error", go);
      resume();
    };
    outgoing.on("drain", go);
    outgoing.on("close", go);
    outgoing.on("error", go);
    answered.then(go, go);
  });
}
