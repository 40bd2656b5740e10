import { execFile } from "node:child_process";
import { createServer } from "node:net";
import { join } from "node:path";
import { promisify } from "node:util";
import { freePorts } from "@instagram/stack";
import { repositoryRoot } from "./repository.ts";

const run = promisify(execFile);

export interface LocalObjectStore {
  /** image-service's variables for it (BLOB_STORE=s3, S3_*). */
  env: Record<string, string>;
  stop(): Promise<void>;
}

/**
 * A private SeaweedFS for this run (scripts/seaweedfs.sh with its own directory and ports, so a
 * store someone else started is left alone; the weed binary is built once and cached).
 */
export async function startLocalObjectStore(workDir: string): Promise<LocalObjectStore> {
  const env = {
    ...process.env,
    INFRA_DIR: join(workDir, "object-store"),
    INFRA_S3_PORT: String(await portBlock()),
  };
  const script = join(repositoryRoot, "scripts/seaweedfs.sh");
  const store = (command: string, timeoutMs: number) =>
    run("bash", [script, command], {
      env,
      cwd: repositoryRoot,
      timeout: timeoutMs,
      maxBuffer: 8 * 1024 * 1024,
    });
  const stop = async (): Promise<void> => {
    await store("down", 60_000).catch((error: unknown) => {
      process.stderr.write(
        `[bench] seaweedfs down failed: ${error instanceof Error ? error.message : String(error)}\n`,
      );
    });
  };
  try {
    // The first run builds SeaweedFS (minutes on 2 cores).
    await store("up", 900_000);
    const { stdout } = await store("env", 10_000);
    const variables: Record<string, string> = {};
    for (const match of stdout.matchAll(/^export ([A-Z0-9_]+)=(.*)$/gm))
      variables[match[1]!] = match[2]!.trim();
    return { env: variables, stop };
  } catch (error) {
    await stop();
    throw error;
  }
}

/** A port P whose P+1..P+7 are free too (SeaweedFS's master, volume, filer and gRPC ports). */
async function portBlock(): Promise<number> {
  for (let attempt = 0; attempt < 20; attempt++) {
    const { base } = await freePorts(["base"]);
    if (base > 65_000) continue;
    const wanted = [1, 2, 3, 4, 5, 6, 7].map((offset) => base + offset);
    if ((await Promise.all(wanted.map(isFree))).every(Boolean)) return base;
  }
  throw new Error("no free block of ports for SeaweedFS");
}

function isFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer();
    server.once("error", () => resolve(false));
    server.listen(port, "127.0.0.1", () => server.close(() => resolve(true)));
  });
}
