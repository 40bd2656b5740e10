import { AsyncLocalStorage } from "node:async_hooks";
import { Code, ConnectError, type Interceptor } from "@connectrpc/connect";

/** The incoming call a handler is serving: its signal (aborts at its deadline) and that deadline. */
interface IncomingCall {
  signal: AbortSignal;
  /** Epoch ms; undefined when the caller sent no deadline. */
  at: number | undefined;
  /** The handler has answered: its signal aborts with the stream, but nobody waits any more. */
  answered: boolean;
}

const incoming = new AsyncLocalStorage<IncomingCall>();

/**
 * Node, server side: remembers each incoming Connect/gRPC call (its signal and the deadline its
 * caller sent) for the handler's whole async run, so calls the handler makes inherit them
 * (inheritCallerDeadline). Connect already aborts the handler's context.signal at that deadline.
 */
export const rememberCallerDeadline: Interceptor = (next) => (req) => {
  const ms = timeoutOf(req.header);
  const call: IncomingCall = {
    signal: req.signal,
    at: ms === undefined ? undefined : Date.now() + ms,
    answered: false,
  };
  return incoming.run(call, async () => {
    try {
      return await next(req);
    } finally {
      call.answered = true;
    }
  });
};

/**
 * The incoming call still being served in this async context. Work a handler started but did not
 * await (a timer, a kicked background pass) keeps the context after the answer; it is no longer
 * the call's work, and the call's end must not stop it.
 */
function servedCall(): IncomingCall | undefined {
  const call = incoming.getStore();
  return call === undefined || call.answered ? undefined : call;
}

/**
 * Node, client side (http2Instances): a call made while serving an incoming call sends at most the
 * time that call has left, and ends when the incoming call ends (its deadline, or its caller gone).
 * A call whose caller's deadline has already passed is not sent.
 */
export const inheritCallerDeadline: Interceptor = (next) => (req) => {
  const caller = servedCall();
  if (caller === undefined) return next(req);
  if (caller.signal.aborted) {
    throw ConnectError.from(caller.signal.reason ?? new ConnectError("the caller went away", Code.Canceled));
  }
  if (caller.at !== undefined) {
    const left = caller.at - Date.now();
    if (left <= 0) throw new ConnectError("the caller's deadline has passed", Code.DeadlineExceeded);
    const own = timeoutOf(req.header);
    if (own === undefined || own > left) req.header.set("connect-timeout-ms", String(left));
  }
  return next({ ...req, signal: AbortSignal.any([req.signal, caller.signal]) });
};

/**
 * The signal of the incoming call being served here, if any: aborts at its deadline or when its
 * caller goes away. For work that can stop early (e.g. before a commit nobody will hear about).
 */
export function incomingCallSignal(): AbortSignal | undefined {
  return servedCall()?.signal;
}

/** The deadline an incoming call carries: Connect-Timeout-Ms, or gRPC's grpc-timeout. */
function timeoutOf(header: Headers): number | undefined {
  const connect = header.get("connect-timeout-ms");
  if (connect !== null && /^\d{1,10}$/.test(connect)) return Number(connect);
  const grpc = /^(\d{1,8})([HMSmun])$/.exec(header.get("grpc-timeout") ?? "");
  if (!grpc) return undefined;
  const unitMs = { H: 3_600_000, M: 60_000, S: 1_000, m: 1, u: 0.001, n: 0.000001 }[grpc[2] as "H"];
  return Math.ceil(Number(grpc[1]) * unitMs);
}
