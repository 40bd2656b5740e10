// Sends a fuzz request and judges the answer against the product's promises.
import { type FuzzRequest, preview, readable } from "./requests.ts";

export interface Answer {
  status: number;
  contentType: string;
  text: string;
}

// The edge refuses a request line over 16 KiB (414), or a head (line and header fields) over
// 16 KiB (431), before reading the body and closes the connection; a client still sending a body
// then meets EPIPE/ECONNRESET instead of the answer.
const LONGEST_HEAD = 16 * 1024;

function headTooLarge(request: FuzzRequest): boolean {
  const fields = Object.entries(request.headers).reduce(
    (bytes, [name, value]) => bytes + name.length + value.length + 4,
    0,
  );
  return request.target.length + fields > LONGEST_HEAD;
}

function closedWhileSending(error: unknown): boolean {
  const code = (error as { cause?: { code?: unknown } }).cause?.code;
  return code === "EPIPE" || code === "ECONNRESET" || code === "UND_ERR_SOCKET";
}

export async function send(gatewayUrl: string, request: FuzzRequest): Promise<Answer> {
  const url = new URL(request.target, gatewayUrl);
  const init: RequestInit = {
    method: request.method,
    headers: request.headers,
    body: request.body,
    redirect: "manual",
    signal: AbortSignal.timeout(15_000),
  };
  let response: Response;
  try {
    response = await fetch(url, init);
  } catch (error) {
    if (!headTooLarge(request) || !closedWhileSending(error)) throw error;
    // Ask again without the body, so the edge's answer can be read and judged like any other.
    response = await fetch(url, { ...init, method: "GET", body: undefined });
  }
  return {
    status: response.status,
    contentType: response.headers.get("content-type") ?? "",
    text: await response.text(),
  };
}

/** What is wrong with the answer: no 5xx; a 4xx is RFC 9457 problem+json whose status is the answer's. */
export function brokenPromises(answer: Answer): string[] {
  if (answer.status >= 500) return [`a server error (${answer.status})`];
  if (answer.status < 400) return [];
  const broken: string[] = [];
  if (!/^application\/problem\+json/.test(answer.contentType)) {
    broken.push(`a ${answer.status} as "${answer.contentType}", not application/problem+json`);
  }
  const problem = parsed(answer.text);
  if (!problem) broken.push(`a ${answer.status} whose body is not a JSON object`);
  else {
    if (problem.status !== answer.status)
      broken.push(`a ${answer.status} whose problem says status ${problem.status}`);
    if (typeof problem.title !== "string") broken.push(`a ${answer.status} whose problem has no title`);
  }
  return broken;
}

function parsed(text: string): Record<string, unknown> | undefined {
  try {
    const value: unknown = JSON.parse(text);
    return value !== null && typeof value === "object" && !Array.isArray(value)
      ? (value as Record<string, unknown>)
      : undefined;
  } catch {
    return undefined;
  }
}

/** The request and answer, short enough to read in a failure report. */
export function described(request: FuzzRequest, answer: Answer): string {
  return `${readable(request)}\n→ ${answer.status} ${answer.contentType}: ${preview(answer.text)}`;
}
