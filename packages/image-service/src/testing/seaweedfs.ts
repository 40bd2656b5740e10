import { execFile } from "node:child_process";
import { mkdtemp, rm } from "node:fs/promises";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";

const run = promisify(execFile);
const script = fileURLToPath(new URL("../../../../scripts/seaweedfs.sh", import.meta.url));

/** A SeaweedFS of a test's own (scripts/seaweedfs.sh in a temp dir): one it may kill. */
export interface SeaweedFs {
  endpoint: string;
  /** SIGKILL, data kept. */
  kill(): Promise<void>;
  /** Up again on the data it had. */
  start(): Promise<void>;
  /** Stopped and its data removed. */
  remove(): Promise<void>;
}

export async function startSeaweedFs(keys: { accessKey: string; secretKey: string }): Promise<SeaweedFs> {
  const dir = await mkdtemp(join(tmpdir(), "seaweedfs-"));
  const port = await freePortBlock();
  const env = {
    ...process.env,
    INFRA_DIR: dir,
    INFRA_S3_PORT: String(port),
    INFRA_S3_ACCESS_KEY: keys.accessKey,
    INFRA_S3_SECRET_KEY: keys.secretKey,
  };
  const script_ = (command: string) => run("bash", [script, command], { env, timeout: 170_000 });
  await script_("up");
  return {
    endpoint: `http://127.0.0.1:${port}`,
    kill: async () => void (await script_("kill")),
    start: async () => void (await script_("start")),
    async remove() {
      await script_("down");
      await rm(dir, { recursive: true, force: true });
    },
  };
}

/** A port P with P..P+7 free: S3, master, volume, filer and their gRPC ports (scripts/seaweedfs.sh). */
async function freePortBlock(): Promise<number> {
  for (let attempt = 0; attempt < 50; attempt++) {
    const base = 30_000 + Math.floor(Math.random() * 9_990);
    const ports = Array.from({ length: 8 }, (_, offset) => base + offset);
    if ((await Promise.all(ports.map(isFree))).every(Boolean)) return base;
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
