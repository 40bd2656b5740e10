import { ratio, type Summary, summarize, throughput } from "../stats.ts";
import { addTicks, type CpuReading, type CpuRoots, cpuMsPerRequest, readCpu } from "./cpu-time.ts";
import { type PreparedRequest, type RoundResult, runRound } from "./load-round.ts";

export interface LoadTarget {
  url: string;
  next: () => PreparedRequest;
}

export interface LoadPlan {
  connections: number;
  warmupS: number;
  roundS: number;
  /** Measured rounds per side. */
  rounds: number;
}

export interface SideResult {
  rounds: number;
  requests: number;
  wallMs: number;
  /** 2xx answers per second over the measured rounds. */
  perSecond: number;
  latencyMs: Summary;
  statuses: Record<string, number>;
  errors: number;
  timeouts: number;
  non2xx: number;
  /** CPU milliseconds per 2xx answer, per process tree (gateway, user, postgres, kafka, baseline…). */
  cpuMsPerRequest: Record<string, number>;
}

export interface Comparison {
  plan: LoadPlan;
  baseline: SideResult;
  system: SideResult;
  /** system ÷ baseline. */
  throughputRatio: number;
  p50Ratio: number;
  p99Ratio: number;
}

interface SideTally {
  latencies: number[];
  wallMs: number;
  requests: number;
  ok: number;
  statuses: Record<string, number>;
  errors: number;
  timeouts: number;
  non2xx: number;
  ticks: Record<string, number>;
  rounds: number;
}

/**
 * The same load against the baseline and the system in alternating rounds (baseline, system,
 * baseline, system…), each side warmed up first (discarded), so slow drifts of a shared machine
 * touch both alike. CPU time of every named process tree is read around each measured round.
 */
export async function compareAlternating(opts: {
  baseline: LoadTarget;
  system: LoadTarget;
  plan: LoadPlan;
  cpuRoots: CpuRoots;
  hz: number;
  log?: (message: string) => void;
}): Promise<Comparison> {
  const { plan } = opts;
  const targets = { baseline: opts.baseline, system: opts.system };
  const tallies = {
    baseline: emptyTally(),
    system: emptyTally(),
  };
  for (const target of Object.values(targets)) await warmUp(target, plan);
  for (let round = 0; round < plan.rounds; round++) {
    for (const side of ["baseline", "system"] as const) {
      const result = await measuredRound(targets[side], plan, tallies[side], opts.cpuRoots);
      opts.log?.(
        `  ${side} round ${round + 1}: ${result.perSecond.toFixed(0)} req/s, p50 ${result.latencyMs.p50.toFixed(2)} ms, ` +
          `p99 ${result.latencyMs.p99.toFixed(2)} ms, ${result.non2xx} non-2xx, ${result.errors} errors`,
      );
    }
  }
  const baseline = describe(tallies.baseline, opts.hz);
  const system = describe(tallies.system, opts.hz);
  return {
    plan,
    baseline,
    system,
    throughputRatio: ratio(system.perSecond, baseline.perSecond),
    p50Ratio: ratio(system.latencyMs.p50, baseline.latencyMs.p50),
    p99Ratio: ratio(system.latencyMs.p99, baseline.latencyMs.p99),
  };
}

/** A round whose numbers are thrown away: connections open, code paths hot. */
async function warmUp(target: LoadTarget, plan: LoadPlan): Promise<void> {
  await runRound({
    url: target.url,
    connections: plan.connections,
    durationS: plan.warmupS,
    next: target.next,
  });
}

/** A measured round: its latencies and counts into `tally`, with the CPU time read around it. */
async function measuredRound(target: LoadTarget, plan: LoadPlan, tally: SideTally, cpuRoots: CpuRoots) {
  const before = await readCpu(cpuRoots);
  const result = await runRound({
    url: target.url,
    connections: plan.connections,
    durationS: plan.roundS,
    next: target.next,
    latencySink: tally.latencies,
  });
  addRound(tally, result, before, await readCpu(cpuRoots));
  return result;
}

/** One target alone (no baseline to compare with): a warm-up, then `plan.rounds` rounds. */
export async function measureAlone(opts: {
  target: LoadTarget;
  plan: LoadPlan;
  cpuRoots: CpuRoots;
  hz: number;
}): Promise<SideResult> {
  const { plan, target } = opts;
  await warmUp(target, plan);
  const tally = emptyTally();
  for (let round = 0; round < plan.rounds; round++) await measuredRound(target, plan, tally, opts.cpuRoots);
  return describe(tally, opts.hz);
}

function addRound(tally: SideTally, result: RoundResult, before: CpuReading, after: CpuReading): void {
  addTicks(tally.ticks, before, after);
  tally.rounds++;
  tally.wallMs += result.wallMs;
  tally.requests += result.requests;
  tally.ok += result.latencyMs.count;
  tally.errors += result.errors;
  tally.timeouts += result.timeouts;
  tally.non2xx += result.non2xx;
  for (const [status, count] of Object.entries(result.statuses)) {
    tally.statuses[status] = (tally.statuses[status] ?? 0) + count;
  }
}

function emptyTally(): SideTally {
  return {
    latencies: [],
    wallMs: 0,
    requests: 0,
    ok: 0,
    statuses: {},
    errors: 0,
    timeouts: 0,
    non2xx: 0,
    ticks: {},
    rounds: 0,
  };
}

function describe(tally: SideTally, hz: number): SideResult {
  return {
    rounds: tally.rounds,
    requests: tally.requests,
    wallMs: Math.round(tally.wallMs),
    perSecond: throughput(tally.ok, tally.wallMs),
    latencyMs: summarize(tally.latencies),
    statuses: tally.statuses,
    errors: tally.errors,
    timeouts: tally.timeouts,
    non2xx: tally.non2xx,
    cpuMsPerRequest: cpuMsPerRequest(tally.ticks, tally.ok, hz),
  };
}
