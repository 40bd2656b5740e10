import { execFile } from "node:child_process";
import { createServer } from "node:net";
import { promisify } from "node:util";
import { ConfigError } from "@instagram/kit";
import { type Ports, portOf, services } from "./services.ts";

/** Whether something already listens on host:port (a port we may not take). */
export function portIsBusy(host: string, port: number): Promise<boolean> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.once("error", (error: NodeJS.ErrnoException) => {
      if (error.code === "EADDRINUSE" || error.code === "EACCES") resolve(true);
      else reject(error);
    });
    server.listen(port, host, () => server.close(() => resolve(false)));
  });
}

/** Fails with one line per service whose port is taken, and how to choose another. */
export async function requireFreePorts(host: string, ports: Ports): Promise<void> {
  const problems: string[] = [];
  for (const entry of services) {
    const port = portOf(entry, ports);
    if (await portIsBusy(host, port)) {
      problems.push(
        `port ${port} (${entry.name}) on ${host} is in use: stop what holds it (\`ss -ltnp 'sport = :${port}'\`) ` +
          `or choose another with PORT_${entry.name.toUpperCase()}=…`,
      );
    }
  }
  if (problems.length > 0) throw new ConfigError(problems);
}

/** Fails when a program the development stack needs is not on the PATH. */
export async function requireCommand(command: string, why: string): Promise<void> {
  try {
    await promisify(execFile)("sh", ["-c", `command -v ${command}`]);
  } catch {
    throw new ConfigError([`\`${command}\` is not installed: ${why}`]);
  }
}
