import { inject } from "vitest";

/** Kills (SIGKILL) or restarts one service of the distributed stack under test. */
export async function control(action: "kill" | "restart", service: string): Promise<void> {
  const controlUrl = inject("controlUrl");
  if (!controlUrl) throw new Error("fault tests need the distributed stack (vitest.distributed.config.ts)");
  const response = await fetch(`${controlUrl}/${action}/${service}`, { method: "POST" });
  if (response.status !== 204)
    throw new Error(`${action} ${service}: ${response.status} ${await response.text()}`);
}

/** Runs `work` while `service` is down, and brings it back afterwards whatever happens. */
export async function whileDown<T>(service: string, work: () => Promise<T>): Promise<T> {
  await control("kill", service);
  try {
    return await work();
  } finally {
    await control("restart", service);
  }
}
