import { type Comparison, compareAlternating, type LoadPlan } from "../load/alternating.ts";
import type { CpuRoots } from "../load/cpu-time.ts";
import type { LoadDataset } from "../workload/dataset.ts";
import { type ReadEndpoint, readRequest, type Viewer } from "../workload/requests.ts";

export type ReadPathsResult = Partial<Record<ReadEndpoint, Comparison>>;

/**
 * Each read endpoint under closed-loop load, the baseline process and the stack's gateway in
 * alternating rounds; an endpoint that fails (e.g. not built yet) is reported and skipped.
 */
export async function measureReadPaths(opts: {
  endpoints: readonly ReadEndpoint[];
  baselineUrl: string;
  gatewayUrl: string;
  viewers: readonly Viewer[];
  dataset: LoadDataset;
  plan: LoadPlan;
  cpuRoots: CpuRoots;
  hz: number;
  log: (message: string) => void;
  fail: (endpoint: ReadEndpoint, error: unknown) => void;
}): Promise<ReadPathsResult> {
  const results: ReadPathsResult = {};
  for (const endpoint of opts.endpoints) {
    opts.log(`reads: ${endpoint}`);
    const next = () => readRequest(endpoint, opts.viewers, opts.dataset);
    try {
      results[endpoint] = await compareAlternating({
        baseline: { url: opts.baselineUrl, next },
        system: { url: opts.gatewayUrl, next },
        plan: opts.plan,
        cpuRoots: opts.cpuRoots,
        hz: opts.hz,
        log: opts.log,
      });
    } catch (error) {
      opts.fail(endpoint, error);
    }
  }
  return results;
}
