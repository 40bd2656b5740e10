import autocannon from "autocannon";
import { type Summary, summarize, throughput } from "../stats.ts";

/** One HTTP request of a workload, on the target's origin. */
export interface PreparedRequest {
  method: "GET" | "PUT" | "DELETE" | "POST";
  path: string;
  token: string;
  /** JSON text, for writes. */
  body?: string;
  /** A label for the per-kind counts of a mixed workload (e.g. "feed", "like"). */
  kind: string;
}

export interface RoundOptions {
  /** Origin of the server under load, e.g. http://127.0.0.1:18300. */
  url: string;
  connections: number;
  durationS: number;
  /** Called for every request sent: spreads the load over many users, tokens and ids. */
  next: () => PreparedRequest;
  /** Longest wait for one answer; a request past it counts as a timeout. */
  timeoutS?: number;
  /** Receives every 2xx latency (ms), to summarize several rounds together. */
  latencySink?: number[];
}

export interface RoundResult {
  requests: number;
  wallMs: number;
  perSecond: number;
  /** Latency of the 2xx answers (autocannon's own clock, sub-millisecond). */
  latencyMs: Summary;
  /** Answers by status code, and by kind: status code. */
  statuses: Record<string, number>;
  kinds: Record<string, Record<string, number>>;
  /** Connection errors and timeouts (no answer at all). */
  errors: number;
  timeouts: number;
  /** Answers that were not 2xx. */
  non2xx: number;
}

/**
 * A closed-loop round: `connections` keep-alive connections, each sending its next request as soon
 * as the previous one is answered, for `durationS` seconds.
 */
export async function runRound(opts: RoundOptions): Promise<RoundResult> {
  const latencies: number[] = [];
  const statuses: Record<string, number> = {};
  const kinds: Record<string, Record<string, number>> = {};
  const started = performance.now();
  const options: autocannon.Options = {
    url: opts.url,
    connections: opts.connections,
    duration: opts.durationS,
    timeout: opts.timeoutS ?? 10,
    requests: [
      {
        setupRequest: (request, context) => {
          const next = opts.next();
          // The context belongs to the connection, which waits for this answer before its next request.
          (context as { kind?: string }).kind = next.kind;
          const headers: Record<string, string> = {
            accept: "application/json",
            authorization: `Bearer ${next.token}`,
          };
          if (next.body !== undefined) headers["content-type"] = "application/json";
          return { ...request, method: next.method, path: next.path, headers, body: next.body };
        },
        onResponse: (status, _body, context) => {
          const kind = (context as { kind?: string }).kind ?? "?";
          const counts = kinds[kind] ?? {};
          counts[status] = (counts[status] ?? 0) + 1;
          kinds[kind] = counts;
        },
      },
    ],
  };
  const result = await new Promise<autocannon.Result>((resolve, reject) => {
    const instance = autocannon(options, (error: unknown, done: autocannon.Result) =>
      error ? reject(error) : resolve(done),
    );
    instance.on("response", (_client, statusCode, _bytes, responseTime) => {
      statuses[statusCode] = (statuses[statusCode] ?? 0) + 1;
      if (statusCode >= 200 && statusCode < 300) {
        latencies.push(responseTime);
        opts.latencySink?.push(responseTime);
      }
    });
  });
  const wallMs = performance.now() - started;
  const answered = Object.values(statuses).reduce((sum, count) => sum + count, 0);
  return {
    requests: answered,
    wallMs,
    perSecond: throughput(latencies.length, wallMs),
    latencyMs: summarize(latencies),
    statuses,
    kinds,
    errors: result.errors,
    timeouts: result.timeouts,
    non2xx: result.non2xx,
  };
}
