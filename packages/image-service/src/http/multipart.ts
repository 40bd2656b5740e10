/**
 * A streaming multipart/form-data reader on web streams (portable: Node, Deno, workers). Parts are
 * yielded one at a time with their body as a stream; nothing is buffered beyond one network chunk
 * plus a boundary's length. Hono's parseBody (and Request.formData) read the whole body into memory,
 * which an upload must never do.
 *
 * Kept over busboy after a measurement (issue 11, item 9): 50 parses of a 5 MiB upload (a caption
 * and a file, 64 KiB chunks, the file part read to the end), CPU time over three runs: this reader
 * 486–499 ms, busboy 1.6.0 509–631 ms, @fastify/busboy 3.2.6 560–697 ms (both behind
 * Readable.fromWeb/toWeb, since they parse Node streams; wall times were noise on a loaded machine).
 * No gain to pay for a Node-streams dependency in a reader that also runs on Deno.
 */
import { DomainError } from "@instagram/kit";

export interface MultipartPart {
  name: string;
  filename: string | undefined;
  contentType: string | undefined;
  /** Read it or not: moving on to the next part skips whatever was left unread. */
  body: ReadableStream<Uint8Array>;
}

/** A body that is not well-formed multipart: the client's mistake (400). */
export class MultipartError extends DomainError {
  constructor(detail: string) {
    super("invalid-input", `malformed multipart body: ${detail}`, { reason: "malformed-multipart" });
  }
}

const CRLF = new Uint8Array([13, 10]);
const HEADERS_END = new Uint8Array([13, 10, 13, 10]);
const MAX_HEADER_BYTES = 16 * 1024;
const MAX_PARTS = 20;

/** The boundary parameter of a multipart content type, or undefined. */
export function boundaryOf(contentType: string | undefined): string | undefined {
  if (contentType === undefined || !/^multipart\/form-data\s*(;|$)/i.test(contentType)) return undefined;
  const match = /;\s*boundary=(?:"([^"]{1,70})"|([^\s;"]{1,70}))/i.exec(contentType);
  return match?.[1] ?? match?.[2];
}

export async function* readMultipart(
  body: ReadableStream<Uint8Array>,
  boundary: string,
): AsyncGenerator<MultipartPart, void, undefined> {
  const delimiter = new TextEncoder().encode(`\r\n--${boundary}`);
  const reader = body.getReader();
  // The first boundary has no CRLF before it: pretend it had, so every delimiter looks alike.
  const scanner = new Scanner(reader, CRLF);
  try {
    await scanner.skipPast(delimiter);
    for (let count = 0; ; count++) {
      await scanner.need(2, "the body ends inside a boundary line");
      if (scanner.startsWith([45, 45])) return; // "--": the closing delimiter
      await scanner.skipLine();
      if (count >= MAX_PARTS) throw new MultipartError(`more than ${MAX_PARTS} parts`);
      const headers = parseHeaders(await scanner.readHeaders());
      const disposition = headers.get("content-disposition") ?? "";
      const name = parameterOf(disposition, "name");
      if (name === undefined) throw new MultipartError("a part has no form field name");
      const part = new PartBody(scanner, delimiter);
      yield {
        name,
        filename: parameterOf(disposition, "filename"),
        contentType: headers.get("content-type"),
        body: part.stream,
      };
      await part.skipRest();
    }
  } finally {
    await reader.cancel().catch(() => {});
  }
}

class Scanner {
  private buffer: Uint8Array;
  private ended = false;

  constructor(
    private readonly reader: ReadableStreamDefaultReader<Uint8Array>,
    initial: Uint8Array,
  ) {
    this.buffer = initial;
  }

  get length(): number {
    return this.buffer.length;
  }

  /** Reads one more chunk; false at the end of the body. */
  async fill(): Promise<boolean> {
    if (this.ended) return false;
    const next = await this.reader.read();
    if (next.done) {
      this.ended = true;
      return false;
    }
    this.buffer = this.buffer.length === 0 ? next.value : concat(this.buffer, next.value);
    return true;
  }

  async need(bytes: number, problem: string): Promise<void> {
    while (this.buffer.length < bytes) {
      if (!(await this.fill())) throw new MultipartError(problem);
    }
  }

  startsWith(prefix: ArrayLike<number>): boolean {
    for (let i = 0; i < prefix.length; i++) if (this.buffer[i] !== prefix[i]) return false;
    return true;
  }

  indexOf(pattern: Uint8Array): number {
    return indexOf(this.buffer, pattern);
  }

  take(bytes: number): Uint8Array {
    const taken = this.buffer.subarray(0, bytes);
    this.buffer = this.buffer.subarray(bytes);
    return taken;
  }

  /** Discards everything up to and including `pattern` (the preamble before the first boundary). */
  async skipPast(pattern: Uint8Array): Promise<void> {
    for (;;) {
      const at = this.indexOf(pattern);
      if (at >= 0) {
        this.take(at + pattern.length);
        return;
      }
      this.take(Math.max(0, this.buffer.length - pattern.length + 1));
      if (!(await this.fill())) throw new MultipartError("no multipart boundary in the body");
    }
  }

  /** The rest of a boundary line (transport padding allowed) and its CRLF. */
  async skipLine(): Promise<void> {
    for (;;) {
      const at = this.indexOf(CRLF);
      if (at >= 0 && at <= 256) {
        this.take(at + 2);
        return;
      }
      if (this.buffer.length > 256 || !(await this.fill()))
        throw new MultipartError("a boundary line is malformed");
    }
  }

  async readHeaders(): Promise<string> {
    for (;;) {
      if (this.startsWith(CRLF) && this.buffer.length >= 2) {
        this.take(2); // a part without headers
        return "";
      }
      const at = this.indexOf(HEADERS_END);
      if (at >= 0) return new TextDecoder().decode(this.take(at + HEADERS_END.length)).trimEnd();
      if (this.buffer.length > MAX_HEADER_BYTES) throw new MultipartError("a part's headers are too long");
      if (!(await this.fill())) throw new MultipartError("the body ends inside a part's headers");
    }
  }
}

/** One part's bytes, up to the next delimiter. */
class PartBody {
  readonly stream: ReadableStream<Uint8Array>;
  private finished = false;

  constructor(
    private readonly scanner: Scanner,
    private readonly delimiter: Uint8Array,
  ) {
    this.stream = new ReadableStream<Uint8Array>(
      {
        pull: async (controller) => {
          try {
            const chunk = await this.next();
            if (chunk === undefined) controller.close();
            else controller.enqueue(chunk);
          } catch (error) {
            controller.error(error);
          }
        },
      },
      { highWaterMark: 0 },
    );
  }

  async skipRest(): Promise<void> {
    while ((await this.next()) !== undefined) {}
  }

  /** The next run of bytes that surely belongs to the part, or undefined after its last byte. */
  private async next(): Promise<Uint8Array | undefined> {
    const { scanner, delimiter } = this;
    while (!this.finished) {
      const at = scanner.indexOf(delimiter);
      if (at >= 0) {
        const last = scanner.take(at);
        scanner.take(delimiter.length);
        this.finished = true;
        return last.length > 0 ? last : undefined;
      }
      // Keep a tail that could be the start of the delimiter.
      const safe = scanner.length - delimiter.length + 1;
      if (safe > 0) return scanner.take(safe);
      if (!(await scanner.fill())) throw new MultipartError("the body ends inside a part");
    }
    return undefined;
  }
}

function parseHeaders(text: string): Map<string, string> {
  const headers = new Map<string, string>();
  for (const line of text.split("\r\n")) {
    const colon = line.indexOf(":");
    if (colon > 0) headers.set(line.slice(0, colon).trim().toLowerCase(), line.slice(colon + 1).trim());
  }
  return headers;
}

function parameterOf(header: string, name: string): string | undefined {
  const pattern = new RegExp(`;\\s*${name}=(?:"((?:[^"\\\\]|\\\\.)*)"|([^\\s;"]+))`, "i");
  const match = pattern.exec(header);
  const quoted = match?.[1]?.replace(/\\(.)/g, "$1");
  return quoted ?? match?.[2];
}

function indexOf(haystack: Uint8Array, needle: Uint8Array): number {
  const first = needle[0];
  if (first === undefined) return 0;
  for (let at = haystack.indexOf(first); at >= 0; at = haystack.indexOf(first, at + 1)) {
    if (at + needle.length > haystack.length) {
      // A partial match at the end: compare what there is; callers treat it as "not yet".
      return -1;
    }
    let matched = true;
    for (let i = 1; i < needle.length; i++) {
      if (haystack[at + i] !== needle[i]) {
        matched = false;
        break;
      }
    }
    if (matched) return at;
  }
  return -1;
}

function concat(a: Uint8Array, b: Uint8Array): Uint8Array {
  const joined = new Uint8Array(a.length + b.length);
  joined.set(a);
  joined.set(b, a.length);
  return joined;
}
