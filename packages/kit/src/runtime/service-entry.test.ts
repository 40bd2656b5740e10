import { spawn } from "node:child_process";
import { once } from "node:events";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterEach, describe, expect, it } from "vitest";

const fixture = fileURLToPath(new URL("./test-fixtures/service-main-fixture.ts", import.meta.url));
let dataDir: string | undefined;

afterEach(async () => {
  if (dataDir) await rm(dataDir, { recursive: true, force: true });
  dataDir = undefined;
});

async function run(env: Record<string, string>) {
  dataDir = await mkdtemp(join(tmpdir(), "service-entry-"));
  const child = spawn(process.execPath, ["--conditions=@instagram/source", "--import", "tsx", fixture], {
    cwd: fileURLToPath(new URL("../..", import.meta.url)),
    env: {
      PATH: process.env.PATH,
      DATA_DIR: dataDir,
      LOG_LEVEL: "silent",
      HOST: "127.0.0.1",
      PORT: "0",
      ...env,
    },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let out = "";
  let err = "";
  child.stdout?.on("data", (chunk) => {
    out += chunk;
  });
  child.stderr?.on("data", (chunk) => {
    err += chunk;
  });
  return { child, output: () => out, errors: () => err };
}

async function until(check: () => boolean, seen: () => string): Promise<void> {
  const deadline = Date.now() + 40_000;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out; the process wrote:\n${seen()}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

describe("runServiceMain", () => {
  it("launches the module on HOST:PORT from the environment, and stops it on SIGTERM with exit 0", async () => {
    const { child, output, errors } = await run({});
    await until(
      () => output().includes("started "),
      () => output() + errors(),
    );
    const url = /started (\S+)/.exec(output())?.[1];
    expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    const health = await fetch(`${url}/healthz`);
    expect(health.status).toBe(200);
    child.kill("SIGTERM");
    const [code] = await once(child, "exit");
    expect(code).toBe(0);
    expect(output()).toContain("module stopped\n");
  }, 60_000);

  it("prints a bad variable as a plain message and exits 1", async () => {
    const { child, errors } = await run({ PORT: "eighty" });
    const [code] = await once(child, "exit");
    expect(code).toBe(1);
    expect(errors()).toContain("PORT");
    expect(errors()).not.toContain("    at ");
  }, 30_000);
});
