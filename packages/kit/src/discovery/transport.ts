import type { DescMethod } from "@bufbuild/protobuf";
import { MethodOptions_IdempotencyLevel } from "@bufbuild/protobuf/wkt";
import { Code, ConnectError, type Interceptor, type Transport } from "@connectrpc/connect";
import { createConnectTransport } from "@connectrpc/connect-web";
import { traceCalls } from "../telemetry/call-spans.ts";
import { createDeadlineClock } from "./deadlines.ts";
import type { Discovery } from "./types.ts";

/**
 * How to talk to one instance: a Connect transport to `baseUrl` with `interceptors`. The default
 * is the Connect protocol over fetch (any runtime); the Node rim has HTTP/2 (http2Instances).
 */
export type InstanceTransports = (baseUrl: string, interceptors: Interceptor[]) => Transport;

export interface ServiceTransportOptions {
  discovery: Discovery;
  service: string;
  /** Deadline of one call, retries included; default 5 s. A per-call timeoutMs wins. */
  timeoutMs?: number;
  interceptors?: Interceptor[];
  /** The fetch to use (tests); default globalThis.fetch. Ignored when `instances` is given. */
  fetch?: typeof globalThis.fetch;
  /** How to reach one instance; default: Connect over fetch. */
  instances?: InstanceTransports;
}

// One clock for every call of the process: a timer per call costs more than the call's work.
const deadlines = createDeadlineClock();

/**
 * A Connect transport (binary protobuf over fetch) to whichever instances discovery returns: calls
 * go round-robin; a side-effect-free or idempotent unary call that meets Unavailable is tried once
 * more on the next instance. Each call carries the active W3C trace context (traceCalls). The
 * deadline runs on a shared clock and is not sent to the server (no timer per call on either side).
 */
export function createServiceTransport(opts: ServiceTransportOptions): Transport {
  const defaultTimeoutMs = opts.timeoutMs ?? 5_000;
  const baseFetch = opts.fetch ?? globalThis.fetch;
  const interceptors = [traceCalls(), ...(opts.interceptors ?? [])];
  const perInstance = new Map<string, Transport>();
  let turn = 0;

  // A refused or reset connection is Unavailable (retryable), not Unknown.
  const fetchInstance: typeof globalThis.fetch = async (input, init) => {
    try {
      return await baseFetch(input, init);
    } catch (error) {
      if (init?.signal?.aborted) throw error;
      throw new ConnectError(
        `${opts.service} instance unreachable`,
        Code.Unavailable,
        undefined,
        undefined,
        error,
      );
    }
  };

  const connect: InstanceTransports =
    opts.instances ??
    ((baseUrl, interceptors) =>
      createConnectTransport({ baseUrl, useBinaryFormat: true, interceptors, fetch: fetchInstance }));

  function transportTo(url: string): Transport {
    let transport = perInstance.get(url);
    if (!transport) {
      transport = connect(url, interceptors);
      perInstance.set(url, transport);
    }
    return transport;
  }

  async function instances(): Promise<{ first: string; next: string | undefined }> {
    const urls = await opts.discovery.resolve(opts.service);
    if (urls.length === 0) {
      throw new ConnectError(`no instance of ${opts.service} is available`, Code.Unavailable);
    }
    const start = turn++ % urls.length;
    turn %= 1_000_000;
    return { first: urls[start]!, next: urls.length > 1 ? urls[(start + 1) % urls.length] : undefined };
  }

  return {
    async unary(method, signal, timeoutMs, header, input, contextValues) {
      const budget = timeoutMs ?? defaultTimeoutMs;
      const { first, next } = await instances();
      // timeoutMs 0: no deadline on the wire, as Connect understands it; ours still bounds the call.
      const call = deadlines.start(budget, signal);
      try {
        return await transportTo(first).unary(method, call.signal, 0, header, input, contextValues);
      } catch (error) {
        if (
          !next ||
          !isRetryable(method) ||
          ConnectError.from(error).code !== Code.Unavailable ||
          call.signal.aborted
        ) {
          throw error;
        }
        return await transportTo(next).unary(method, call.signal, 0, header, input, contextValues);
      } finally {
        call.done();
      }
    },
    async stream(method, signal, timeoutMs, header, input, contextValues) {
      const { first } = await instances();
      return transportTo(first).stream(
        method,
        signal,
        timeoutMs ?? defaultTimeoutMs,
        header,
        input,
        contextValues,
      );
    },
  };
}

function isRetryable(method: Pick<DescMethod, "idempotency">): boolean {
  return (
    method.idempotency === MethodOptions_IdempotencyLevel.NO_SIDE_EFFECTS ||
    method.idempotency === MethodOptions_IdempotencyLevel.IDEMPOTENT
  );
}

/**
 * Sets Authorization on outgoing calls: pass the incoming header ("Bearer …") or a bare token
 * (bearerOf(ctx)); undefined leaves the call anonymous.
 */
export function forwardAuthorization(header: string | undefined): Interceptor {
  const value =
    header === undefined || header === "" ? undefined : header.includes(" ") ? header : `Bearer ${header}`;
  return (next) => (req) => {
    if (value !== undefined) req.header.set("authorization", value);
    return next(req);
  };
}
