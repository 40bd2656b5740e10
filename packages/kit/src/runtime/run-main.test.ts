import { type ChildProcess, spawn } from "node:child_process";
import { once } from "node:events";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";

const fixture = fileURLToPath(new URL("./test-fixtures/main-fixture.ts", import.meta.url));

function run(mode: string): { child: ChildProcess; output: () => string; errors: () => string } {
  const child = spawn(
    process.execPath,
    ["--conditions=@instagram/source", "--import", "tsx", fixture, mode],
    {
      cwd: fileURLToPath(new URL("../..", import.meta.url)),
      stdio: ["ignore", "pipe", "pipe"],
    },
  );
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

async function until(check: () => boolean): Promise<void> {
  const deadline = Date.now() + 20_000;
  while (!check()) {
    if (Date.now() > deadline) throw new Error("timed out");
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

describe("runMain", () => {
  it("stops once on SIGTERM and exits 0", async () => {
    const { child, output } = run("ok");
    await until(() => output().includes("started"));
    child.kill("SIGTERM");
    const [code] = await once(child, "exit");
    expect(code).toBe(0);
    expect(output()).toBe("started\nstopping\nstopped\n");
  }, 30_000);

  it("closes what the start returned after stopping", async () => {
    const { child, output } = run("close");
    await until(() => output().includes("started"));
    child.kill("SIGTERM");
    const [code] = await once(child, "exit");
    expect(code).toBe(0);
    expect(output()).toBe("started\nstopping\nstopped\nclosed\n");
  }, 30_000);

  it("logs the stop with the logger the start returned", async () => {
    const { child, output } = run("logger");
    await until(() => output().includes("started"));
    child.kill("SIGTERM");
    const [code] = await once(child, "exit");
    expect(code).toBe(0);
    const stopping = output()
      .split("\n")
      .filter((line) => line.startsWith("{"))
      .map((line) => JSON.parse(line) as Record<string, unknown>);
    expect(stopping).toEqual([
      expect.objectContaining({ service: "fixture-runtime", msg: "stopping", signal: "SIGTERM" }),
    ]);
  }, 30_000);

  it("still closes when stop fails, and exits 1", async () => {
    const { child, output } = run("stop-fails");
    await until(() => output().includes("started"));
    child.kill("SIGTERM");
    const [code] = await once(child, "exit");
    expect(code).toBe(1);
    expect(output()).toBe("started\nstopping\nstopped\nclosed\n");
  }, 30_000);

  it("exits at once on a second signal", async () => {
    const { child, output } = run("slow");
    await until(() => output().includes("started"));
    child.kill("SIGINT");
    await until(() => output().includes("stopping"));
    const started = Date.now();
    child.kill("SIGINT");
    const [code] = await once(child, "exit");
    expect(Date.now() - started).toBeLessThan(5_000);
    expect(code).not.toBe(0);
    expect(output()).not.toContain("stopped");
  }, 30_000);

  it("prints a ConfigError at start without a stack and exits 1", async () => {
    const { child, output, errors } = run("config");
    const [code] = await once(child, "exit");
    expect(code).toBe(1);
    expect(output()).not.toContain("started");
    expect(errors()).toContain("PORT: ");
    expect(errors()).not.toMatch(/\n\s+at /);
  }, 30_000);
});
