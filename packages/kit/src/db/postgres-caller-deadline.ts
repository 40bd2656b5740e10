import type postgres from "postgres";
import { incomingCallSignal } from "../discovery/caller-deadline.ts";
import { callEnded } from "../errors/call-ended.ts";
import { refuseAfterCallEnded, transactionWithinCall } from "./caller-deadline.ts";

type Sql = postgres.Sql;
type Scope = postgres.TransactionSql;
type Query = postgres.PendingQuery<postgres.Row[]>;
type Unsafe = (...args: Parameters<Sql["unsafe"]>) => Query;
type Work = (scope: Scope) => Promise<unknown>;
type Then = (
  this: Query,
  onFulfilled?: (value: unknown) => unknown,
  onRejected?: (reason: unknown) => unknown,
) => Promise<unknown>;

/**
 * The `postgres` client as drizzle should use it: work done while serving an incoming call
 * (incomingCallSignal) stops at that call's end. A statement is not sent once the call has ended,
 * and one running (or waiting for a connection) is cancelled (`query.cancel()`: the server gets a
 * CancelRequest) when it ends; a transaction is not begun, and rolls back instead of committing
 * (transactionWithinCall). Work of no incoming call (consumers, the relay, jobs) is untouched.
 */
export function postgresWithCallerDeadline(client: Sql): Sql {
  const unsafe: Unsafe = (...args) => {
    const signal = incomingCallSignal();
    if (signal === undefined) return client.unsafe(...args);
    refuseAfterCallEnded(signal);
    return cancelledAtCallEnd(client.unsafe(...args), signal);
  };
  const begin = (...args: [Work] | [string, Work]): Promise<unknown> => {
    const [options, work] = args.length === 1 ? ["", args[0]] : args;
    const signal = incomingCallSignal();
    if (signal === undefined) return client.begin(options, work);
    return transactionWithinCall(
      signal,
      (within: Work) => client.begin(options, within),
      (scope: Scope) => work(scopeWithinCall(scope, signal)),
    );
  };
  return new Proxy(client, {
    get: (target, key) => (key === "unsafe" ? unsafe : key === "begin" ? begin : Reflect.get(target, key)),
  });
}

/** A transaction's (or savepoint's) connection whose statements stop when the call ends. */
function scopeWithinCall(scope: Scope, signal: AbortSignal): Scope {
  const unsafe: Unsafe = (...args) => {
    refuseAfterCallEnded(signal);
    return cancelledAtCallEnd(scope.unsafe(...args), signal);
  };
  const savepoint = (...args: [Work] | [string, Work]): Promise<unknown> => {
    const [name, work] = args.length === 1 ? [undefined, args[0]] : args;
    refuseAfterCallEnded(signal);
    const within = (inner: Scope) => work(scopeWithinCall(inner, signal));
    return name === undefined ? scope.savepoint(within) : scope.savepoint(name, within);
  };
  return new Proxy(scope, {
    get: (target, key) =>
      key === "unsafe" ? unsafe : key === "savepoint" ? savepoint : Reflect.get(target, key),
  });
}

/**
 * Cancels `query` when the call ends before it settles, and turns its failure after the end into
 * callEnded. The cancel waits one macrotask: by then the driver has handed the query to a
 * connection or queued it (cancelling one in between would strand its connection).
 */
function cancelledAtCallEnd(query: Query, signal: AbortSignal): Query {
  const cancel = () => {
    setImmediate(() => {
      if (!(query as Query & { executed?: boolean }).executed) return;
      const cancelling: unknown = query.cancel();
      if (cancelling instanceof Promise) cancelling.catch(() => {}); // the statement's own error tells
    });
  };
  signal.addEventListener("abort", cancel, { once: true });
  const settled = () => signal.removeEventListener("abort", cancel);
  const then = query.then as Then;
  const thenWithinCall: Then = function (onFulfilled, onRejected) {
    return then.call(
      this,
      (value) => {
        settled();
        return onFulfilled ? onFulfilled(value) : value;
      },
      (error) => {
        settled();
        const thrown = signal.aborted ? callEnded(signal, error) : error;
        if (onRejected) return onRejected(thrown);
        throw thrown;
      },
    );
  };
  // biome-ignore lint/suspicious/noThenProperty: the driver's query is a promise; its settling is what is wrapped
  Object.defineProperty(query, "then", { value: thenWithinCall });
  return query;
}
