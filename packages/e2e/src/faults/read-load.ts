// Reads through the gateway to user-service (profiles and follower lists), eight at a time.
import type { Population } from "./workload.ts";

/** Reads until `until` resolves; every answer but a 200 is a failure. */
export async function readLoad(
  gatewayUrl: string,
  population: Population,
  until: Promise<void>,
): Promise<{ sent: number; failed: string[] }> {
  let done = false;
  void until.finally(() => {
    done = true;
  });
  const failed: string[] = [];
  let sent = 0;
  const reader = async (offset: number): Promise<void> => {
    while (!done) {
      const person = population.people[(sent + offset) % population.people.length]!;
      const path = sent % 2 === 0 ? `/v1/users/${person.username}` : `/v1/users/${person.username}/followers`;
      sent++;
      try {
        const response = await fetch(new URL(path, gatewayUrl), {
          headers: { authorization: `Bearer ${population.people[0]!.tokens.accessToken}` },
          signal: AbortSignal.timeout(10_000),
        });
        if (response.status !== 200) failed.push(`${path}: ${response.status} ${await response.text()}`);
        else await response.arrayBuffer();
      } catch (error) {
        failed.push(`${path}: ${String(error)}`);
      }
    }
  };
  await Promise.all([0, 1, 2, 3, 4, 5, 6, 7].map(reader));
  return { sent, failed };
}
