import { addTicks, type CpuRoots, cpuMsPerRequest, readCpu } from "../load/cpu-time.ts";
import { type RoundResult, runRound } from "../load/load-round.ts";
import type { LoadDataset } from "../workload/dataset.ts";
import { mixedRequest, type Viewer } from "../workload/requests.ts";

export interface MixedWorkloadResult extends RoundResult {
  connections: number;
  durationS: number;
  cpuMsPerRequest: Record<string, number>;
}

/**
 * DeathStarBench's social-network mix against the stack (60 % feed, 30 % a user's images, 10 %
 * like/unlike/comment), closed loop after a discarded warm-up. No baseline: it has no writes.
 */
export async function measureMixedWorkload(opts: {
  gatewayUrl: string;
  viewers: readonly Viewer[];
  dataset: LoadDataset;
  connections: number;
  warmupS: number;
  durationS: number;
  cpuRoots: CpuRoots;
  hz: number;
}): Promise<MixedWorkloadResult> {
  const next = () => mixedRequest(opts.viewers, opts.dataset);
  await runRound({ url: opts.gatewayUrl, connections: opts.connections, durationS: opts.warmupS, next });
  const before = await readCpu(opts.cpuRoots);
  const result = await runRound({
    url: opts.gatewayUrl,
    connections: opts.connections,
    durationS: opts.durationS,
    next,
  });
  const after = await readCpu(opts.cpuRoots);
  const ticks: Record<string, number> = {};
  addTicks(ticks, before, after);
  return {
    ...result,
    connections: opts.connections,
    durationS: opts.durationS,
    cpuMsPerRequest: cpuMsPerRequest(ticks, result.latencyMs.count, opts.hz),
  };
}
