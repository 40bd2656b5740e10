import { sql } from "drizzle-orm";
import type { Database } from "../db/types.ts";
import type { EventBus } from "../events/envelope.ts";

/** How long one dependency may take to answer a readiness probe; default of dependencyReadiness. */
export const READINESS_TIMEOUT_MS = 1_000;

export class NotReady extends Error {}

/**
 * A readiness check over what a service depends on: the database answers `select 1`, the bus
 * can carry events (Kafka: reachable, its consumers running; in-process: always), and any
 * `others` (e.g. required peers) resolve, each within `timeoutMs`. Throws NotReady naming the
 * first that did not.
 */
export function dependencyReadiness(deps: {
  db?: Database;
  bus?: Pick<EventBus, "ping">;
  others?: Record<string, () => Promise<void>>;
  timeoutMs?: number;
}): () => Promise<void> {
  const timeoutMs = deps.timeoutMs ?? READINESS_TIMEOUT_MS;
  const { db, bus } = deps;
  const checks: [string, () => Promise<unknown>][] = [
    ...(db === undefined
      ? []
      : [["database", () => db.execute(sql`select 1`)] as [string, () => Promise<unknown>]]),
    ...(bus === undefined ? [] : [["bus", () => bus.ping()] as [string, () => Promise<unknown>]]),
    ...Object.entries(deps.others ?? {}),
  ];
  return async () => {
    await Promise.all(checks.map(([name, check]) => answersWithin(name, check, timeoutMs)));
  };
}

async function answersWithin(name: string, check: () => Promise<unknown>, timeoutMs: number): Promise<void> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const probe = check();
  probe.catch(() => undefined);
  try {
    await Promise.race([
      probe,
      new Promise<never>((_, reject) => {
        timer = setTimeout(
          () => reject(new NotReady(`${name} did not answer in ${timeoutMs} ms`)),
          timeoutMs,
        );
      }),
    ]);
  } catch (error) {
    if (error instanceof NotReady) throw error;
    throw new NotReady(`${name} is unavailable`, { cause: error });
  } finally {
    clearTimeout(timer);
  }
}
