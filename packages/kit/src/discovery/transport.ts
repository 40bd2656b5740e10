import type { DescMethod } from "@bufbuild/protobuf";
import { MethodOptions_IdempotencyLevel } from "@bufbuild/protobuf/wkt";
import { Code, ConnectError, type Interceptor, type Transport } from "@connectrpc/connect";
import { createConnectTransport } from "@connectrpc/connect-web";
import { traceCalls } from "../telemetry/call-spans.ts";
import { createDeadlineClock } from "./deadlines.ts";
import { createInstanceHealth, type InstanceHealth, neverSent } from "./instance-health.ts";
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
  /** Which instances refused connections lately; default one per transport. */
  health?: InstanceHealth;
}

// One clock for every call of the process: a timer per call costs more than the call's work.
const deadlines = createDeadlineClock();

/** Connect's deadline header: the server's context.signal aborts when it has passed. */
const timeoutHeader = "connect-timeout-ms";

/**
 * A Connect transport (binary protobuf over fetch) to whichever instances discovery returns: calls
 * go round-robin; an instance that refuses connections is skipped for a while (InstanceHealth).
 * A failed call moves on to the next instance when that cannot repeat a side effect: the
 * connection was never made (any method), or the method is side-effect-free or idempotent and met
 * Unavailable. Each call carries the active W3C trace context (traceCalls) and its deadline
 * (Connect-Timeout-Ms: the time left, so the server stops work past it); the client side runs the
 * deadline on a shared clock (no timer per call).
 */
export function createServiceTransport(opts: ServiceTransportOptions): Transport {
  const defaultTimeoutMs = opts.timeoutMs ?? 5_000;
  const interceptors = [traceCalls(), ...(opts.interceptors ?? [])];
  const perInstance = new Map<string, Transport>();
  const health = opts.health ?? createInstanceHealth();
  let turn = 0;
  const connect: InstanceTransports = opts.instances ?? fetchInstances(opts.fetch);

  function transportTo(url: string): Transport {
    let transport = perInstance.get(url);
    if (!transport) {
      transport = connect(url, interceptors);
      perInstance.set(url, transport);
    }
    return transport;
  }

  /** Every instance, starting with this call's turn; those skipped for refusals last. */
  async function instances(): Promise<string[]> {
    const urls = await opts.discovery.resolve(opts.service);
    if (urls.length === 0) {
      throw new ConnectError(`no instance of ${opts.service} is available`, Code.Unavailable);
    }
    const start = turn++ % urls.length;
    turn %= 1_000_000;
    const rotated = start === 0 ? urls : [...urls.slice(start), ...urls.slice(0, start)];
    return health.order(rotated);
  }

  return {
    async unary(method, signal, timeoutMs, header, input, contextValues) {
      const budget = timeoutMs ?? defaultTimeoutMs;
      const candidates = await instances();
      const call = deadlines.start(budget, signal);
      try {
        for (let attempt = 0; ; attempt++) {
          const url = candidates[attempt]!;
          const headers = new Headers(header);
          headers.set(timeoutHeader, String(Math.max(1, call.at - Date.now())));
          try {
            // timeoutMs 0: the transport starts no timer of its own; the header carries ours.
            const response = await transportTo(url).unary(
              method,
              call.signal,
              0,
              headers,
              input,
              contextValues,
            );
            health.answered(url);
            return response;
          } catch (error) {
            const refused = neverSent(error);
            if (refused) health.refused(url);
            const another =
              attempt + 1 < candidates.length &&
              !call.signal.aborted &&
              (refused || (isRetryable(method) && ConnectError.from(error).code === Code.Unavailable));
            if (!another) throw error;
          }
        }
      } finally {
        call.done();
      }
    },
    async stream(method, signal, timeoutMs, header, input, contextValues) {
      const [first] = await instances();
      return transportTo(first!).stream(
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

/** The Connect protocol (binary) over fetch to one instance: the default of every runtime but Node's. */
export function fetchInstances(baseFetch: typeof globalThis.fetch = globalThis.fetch): InstanceTransports {
  // A refused or reset connection is Unavailable (retryable), not Unknown.
  const fetchInstance: typeof globalThis.fetch = async (input, init) => {
    try {
      return await baseFetch(input, init);
    } catch (error) {
      if (init?.signal?.aborted) throw error;
      const { host } = new URL(input instanceof Request ? input.url : String(input));
      throw new ConnectError(`instance ${host} unreachable`, Code.Unavailable, undefined, undefined, error);
    }
  };
  return (baseUrl, interceptors) =>
    createConnectTransport({ baseUrl, useBinaryFormat: true, interceptors, fetch: fetchInstance });
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
