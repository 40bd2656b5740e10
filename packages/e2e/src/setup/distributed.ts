// globalSetup of the "e2e-distributed" project: every service as its own process against the
// PostgreSQL and Kafka named by DATABASE_URL and KAFKA_BROKERS, in a database of its own.
import { basename, join } from "node:path";
import { freePorts, services, startDistributedStack } from "@instagram/stack";
import type { TestProject } from "vitest/node";
import "../stack.ts";
import { serveStackControl } from "./control.ts";
import { createScratchDatabase, requireInfrastructure } from "./infrastructure.ts";
import { createRunBucket } from "./run-bucket.ts";
import { provideStack, suiteEnvironment, warmUp } from "./stack-env.ts";

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const infrastructure = await requireInfrastructure(process.env);
  const database = await createScratchDatabase(infrastructure.databaseUrl, "e2e");
  const suite = await suiteEnvironment();
  // BLOB_STORE=s3: image files in a bucket of this run's own (named like its database).
  const bucket = await createRunBucket(process.env, basename(database.url).replaceAll("_", "-"));
  // The audit CLI that tests run with process.env must look at that bucket too.
  if (bucket) Object.assign(process.env, bucket.env);
  const ports = await freePorts(services.map((service) => service.name));
  let stack: Awaited<ReturnType<typeof startDistributedStack>>;
  try {
    stack = await startDistributedStack({
      databaseUrl: database.url,
      kafkaBrokers: infrastructure.kafkaBrokers,
      ports,
      logLevel: "warn",
      // Topics and consumer groups of this run only: a broker that served other runs (or the
      // kit's integration tests) still holds their events, which this stack must not consume.
      env: { ...suite.env, KAFKA_NAMESPACE: `${basename(database.url)}.`, ...bucket?.env },
      echo: process.env.E2E_ECHO === "1",
    });
  } catch (error) {
    await database.drop();
    throw error;
  }
  const control = await serveStackControl(stack);
  const teardown = async (): Promise<void> => {
    await control.close();
    await stack.stop();
    await database.drop();
  };
  try {
    await warmUp(stack.gatewayUrl, 90_000);
  } catch (error) {
    await teardown();
    throw error;
  }
  // image-service's BLOB_DIR defaults to DATA_DIR/blobs, and every process shares the stack's DATA_DIR.
  const auditTarget = {
    databaseUrl: database.url,
    blobDir: join(stack.dataDir, "blobs"),
    ...(bucket && { bucket: bucket.target }),
  };
  provideStack(project, { mode: "distributed", ...stack }, suite, { controlUrl: control.url, auditTarget });
  return teardown;
}
