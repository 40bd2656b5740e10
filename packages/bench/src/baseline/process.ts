import { spawn } from "node:child_process";
import { once } from "node:events";
import { fileURLToPath } from "node:url";
import { repositoryRoot } from "../repository.ts";

export interface BaselineProcess {
  url: string;
  pid: number;
  stop(): Promise<void>;
}

/**
 * Starts the baseline as a child Node process (tsx, as the stack starts each service), so its CPU
 * and memory are its own and it does not share an event loop with the load generator.
 */
export async function startBaselineProcess(opts: {
  port: number;
  databaseUrl: string;
  jwksUrl: string;
  issuer?: string;
  readyTimeoutMs?: number;
}): Promise<BaselineProcess> {
  const entry = fileURLToPath(new URL("./main.ts", import.meta.url));
  const child = spawn(process.execPath, ["--conditions=@instagram/source", "--import", "tsx", entry], {
    cwd: repositoryRoot,
    env: {
      ...process.env,
      BASELINE_PORT: String(opts.port),
      DATABASE_URL: opts.databaseUrl,
      JWKS_URL: opts.jwksUrl,
      JWT_ISSUER: opts.issuer ?? "instagram-clone",
    },
    stdio: ["ignore", "pipe", "pipe"],
  });
  const exited = once(child, "exit");
  let output = "";
  const ready = new Promise<void>((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`the baseline did not start: ${output.slice(-500)}`)),
      opts.readyTimeoutMs ?? 60_000,
    );
    child.stdout?.on("data", (chunk: Buffer) => {
      output += chunk.toString("utf8");
      if (output.includes("ready ")) {
        clearTimeout(timer);
        resolve();
      }
    });
    child.stderr?.on("data", (chunk: Buffer) => {
      output = (output + chunk.toString("utf8")).slice(-4000);
    });
    void exited.then(() => {
      clearTimeout(timer);
      reject(new Error(`the baseline exited: ${output.slice(-500)}`));
    });
  });
  const stop = async (): Promise<void> => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    child.kill("SIGTERM");
    const timer = setTimeout(() => child.kill("SIGKILL"), 5_000);
    await exited;
    clearTimeout(timer);
  };
  try {
    await ready;
  } catch (error) {
    await stop();
    throw error;
  }
  if (child.pid === undefined) throw new Error("the baseline process has no pid");
  return { url: `http://127.0.0.1:${opts.port}`, pid: child.pid, stop };
}
