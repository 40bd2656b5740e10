import type { BucketTarget } from "@instagram/audit";
import { exportJWK, generateKeyPair } from "jose";
import type { TestProject } from "vitest/node";
import { Client } from "../client.ts";

export interface SuiteEnvironment {
  /** Variables for every service of the stack under test. */
  env: Record<string, string>;
  /** auth-service's private signing JWK, as JSON: lets tests forge expired yet well-signed tokens. */
  signingKey: string;
  /** The gateway's METRICS_TOKEN. */
  metricsToken: string;
}

export async function suiteEnvironment(): Promise<SuiteEnvironment> {
  const { privateKey } = await generateKeyPair("EdDSA", { crv: "Ed25519", extractable: true });
  const signingKey = JSON.stringify(await exportJWK(privateKey));
  const metricsToken = crypto.randomUUID();
  return {
    env: {
      JWT_PRIVATE_KEY: signingKey,
      // The whole suite logs in from one address.
      LOGIN_RATE_CLIENT_MAX_ATTEMPTS: "1000000",
      METRICS_TOKEN: metricsToken,
    },
    signingKey,
    metricsToken,
  };
}

/**
 * Signs someone up and waits until the profile arrives through the bus, so the suite starts with
 * the event pipeline flowing (a Kafka consumer group may take a while to join).
 */
export async function warmUp(gatewayUrl: string, timeoutMs: number): Promise<void> {
  const api = new Client(gatewayUrl);
  const username = `warmup_${Date.now().toString(36)}`;
  const password = "warm-up-password";
  const signUp = await api.signUp({ username, email: `${username}@example.com`, password });
  if (signUp.status !== 201) throw new Error(`warm-up sign-up answered ${signUp.status}: ${signUp.text}`);
  const logIn = await api.logIn(username, password);
  if (logIn.status !== 200) throw new Error(`warm-up login answered ${logIn.status}: ${logIn.text}`);
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const me = await api.as(logIn.body.accessToken).me();
    if (me.status === 200) return;
    if (Date.now() > deadline) {
      throw new Error(
        `the profile of a new account did not appear within ${timeoutMs} ms (${me.status}: ${me.text})`,
      );
    }
    await new Promise((done) => setTimeout(done, 200));
  }
}

export function provideStack(
  project: TestProject,
  stack: { mode: "embedded" | "distributed"; gatewayUrl: string; urls: Record<string, string | undefined> },
  suite: SuiteEnvironment,
  faults: {
    controlUrl?: string;
    auditTarget?: { databaseUrl: string; blobDir: string; bucket?: BucketTarget };
    auditUrl?: string;
  } = {},
): void {
  const serviceUrls: Record<string, string> = {};
  for (const [name, url] of Object.entries(stack.urls)) if (url) serviceUrls[name] = url;
  project.provide("mode", stack.mode);
  project.provide("gatewayUrl", stack.gatewayUrl);
  project.provide("serviceUrls", serviceUrls);
  project.provide("controlUrl", faults.controlUrl);
  project.provide("auditTarget", faults.auditTarget);
  project.provide("auditUrl", faults.auditUrl);
  project.provide("signingKey", suite.signingKey);
  project.provide("metricsToken", suite.metricsToken);
}
