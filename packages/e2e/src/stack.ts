import type { BucketTarget } from "@instagram/audit";
import { inject } from "vitest";
import { Client } from "./client.ts";

declare module "vitest" {
  export interface ProvidedContext {
    mode: "embedded" | "distributed";
    gatewayUrl: string;
    /** Base URL of each service, by name (auth, user, gateway, ...). */
    serviceUrls: Record<string, string>;
    /** Distributed mode: POST /kill/<service>, POST /restart/<service> on the stack under test. */
    controlUrl: string | undefined;
    /** auth-service's private signing JWK as JSON. */
    signingKey: string;
    /** The gateway's METRICS_TOKEN: its /metrics answers only with it. */
    metricsToken: string;
    /**
     * Distributed mode: where the orphan audit can look (every service's schema, image-service's
     * files), for the audit in the test process or its CLI.
     */
    auditTarget: { databaseUrl: string; blobDir: string; bucket?: BucketTarget } | undefined;
    /**
     * Embedded mode: POST runs the orphan audit in the stack's own process (PGlite cannot be opened
     * twice) and answers `{ findings: string[] }`.
     */
    auditUrl: string | undefined;
  }
}

/** An anonymous client of the gateway of the stack under test. */
export function gateway(): Client {
  return new Client(inject("gatewayUrl"));
}

export function serviceUrl(name: string): string {
  const url = inject("serviceUrls")[name];
  if (!url) throw new Error(`the stack under test has no "${name}" service`);
  return url;
}
