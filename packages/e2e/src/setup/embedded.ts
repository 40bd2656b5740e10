// globalSetup of the "e2e" project: the embedded stack in this process, on free ports, in a temp dir.
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { freePorts, services, startEmbeddedStack } from "@instagram/stack";
import type { TestProject } from "vitest/node";
import "../stack.ts";
import { serveOrphanAudit } from "./audit-endpoint.ts";
import { provideStack, suiteEnvironment, warmUp } from "./stack-env.ts";

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const dataDir = await mkdtemp(join(tmpdir(), "instagram-e2e-"));
  const ports = await freePorts(services.map((service) => service.name));
  const suite = await suiteEnvironment();
  const stack = await startEmbeddedStack({ dataDir, ports, logLevel: "error", env: suite.env });
  let audit: Awaited<ReturnType<typeof serveOrphanAudit>>;
  try {
    await warmUp(stack.gatewayUrl, 10_000);
    audit = await serveOrphanAudit(stack);
  } catch (error) {
    await stack.stop();
    throw error;
  }
  provideStack(project, { mode: "embedded", ...stack }, suite, { auditUrl: audit.url });
  return async () => {
    await audit.close();
    await stack.stop();
    await rm(dataDir, { recursive: true, force: true });
  };
}
