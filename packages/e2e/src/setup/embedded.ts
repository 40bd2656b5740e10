// globalSetup of the "e2e" project: the embedded stack in this process, on free ports, in a temp dir.
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { freePorts, services, startEmbeddedStack } from "@instagram/stack";
import type { TestProject } from "vitest/node";
import "../stack.ts";
import { provideStack, suiteEnvironment, warmUp } from "./stack-env.ts";

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const dataDir = await mkdtemp(join(tmpdir(), "instagram-e2e-"));
  const ports = await freePorts(services.map((service) => service.name));
  const suite = await suiteEnvironment();
  const stack = await startEmbeddedStack({ dataDir, ports, logLevel: "error", env: suite.env });
  try {
    await warmUp(stack.gatewayUrl, 10_000);
  } catch (error) {
    await stack.stop();
    throw error;
  }
  provideStack(project, { mode: "embedded", ...stack }, suite);
  return async () => {
    await stack.stop();
    await rm(dataDir, { recursive: true, force: true });
  };
}
