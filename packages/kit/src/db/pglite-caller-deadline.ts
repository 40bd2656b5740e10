import type { PGlite, Transaction } from "@electric-sql/pglite";
import { incomingCallSignal } from "../discovery/caller-deadline.ts";
import { refuseAfterCallEnded, transactionWithinCall } from "./caller-deadline.ts";

type Work = (tx: Transaction) => Promise<unknown>;
const STATEMENTS = new Set<PropertyKey>(["query", "sql", "exec"]);

/**
 * PGlite as drizzle should use it: work done while serving an incoming call (incomingCallSignal)
 * stops at that call's end. PGlite cannot interrupt a statement, so: no statement is run once the
 * call has ended, and a transaction is not begun, and rolls back instead of committing, when the
 * call ends first (transactionWithinCall). Work of no incoming call is untouched.
 */
export function pgliteWithCallerDeadline(client: PGlite): PGlite {
  const statement =
    (key: "query" | "sql" | "exec") =>
    (...args: unknown[]): Promise<unknown> => {
      refuseAfterCallEnded(incomingCallSignal());
      return (client[key] as (...args: unknown[]) => Promise<unknown>).apply(client, args);
    };
  const overrides = new Map<PropertyKey, unknown>([
    ["query", statement("query")],
    ["sql", statement("sql")],
    ["exec", statement("exec")],
    [
      "transaction",
      (work: Work): Promise<unknown> => {
        const signal = incomingCallSignal();
        if (signal === undefined) return client.transaction(work);
        return transactionWithinCall(
          signal,
          (within: Work) => client.transaction(within),
          (tx: Transaction) => work(transactionWithinCallOf(tx, signal)),
        );
      },
    ],
  ]);
  // PGlite keeps private fields: its own methods must run on it, not on the proxy.
  const bound = new Map<PropertyKey, unknown>();
  return new Proxy(client, {
    get(target, key) {
      const override = overrides.get(key);
      if (override !== undefined) return override;
      const value: unknown = Reflect.get(target, key, target);
      if (typeof value !== "function") return value;
      const known = bound.get(key);
      if (known !== undefined) return known;
      const method: unknown = value.bind(target);
      bound.set(key, method);
      return method;
    },
  });
}

function transactionWithinCallOf(tx: Transaction, signal: AbortSignal): Transaction {
  return new Proxy(tx, {
    get(target, key) {
      const value: unknown = Reflect.get(target, key);
      if (!STATEMENTS.has(key) || typeof value !== "function") return value;
      return (...args: unknown[]) => {
        refuseAfterCallEnded(signal);
        return value.apply(target, args);
      };
    },
  });
}
