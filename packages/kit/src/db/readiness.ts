import { dependencyReadiness } from "../server/readiness.ts";
import type { Database } from "./types.ts";

/**
 * The /readyz probe of a service with a database and an event bus: throws (NotReady) when either
 * does not answer within a second (see dependencyReadiness).
 */
export function databaseAndBusReadiness(db: Database, bus: { ping(): Promise<void> }): () => Promise<void> {
  return dependencyReadiness({ db, bus });
}
