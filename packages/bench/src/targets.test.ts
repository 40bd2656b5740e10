import { describe, expect, it } from "vitest";
import type { Comparison, SideResult } from "./load/alternating.ts";
import { markdownTable, readsTable, settleTable } from "./results-markdown.ts";
import { summarize } from "./stats.ts";
import { checkTargets } from "./targets.ts";

function side(perSecond: number, latencies: number[]): SideResult {
  return {
    rounds: 2,
    requests: 100,
    wallMs: 1000,
    perSecond,
    latencyMs: summarize(latencies),
    statuses: { 200: 100 },
    errors: 0,
    timeouts: 0,
    non2xx: 0,
    cpuMsPerRequest: { gateway: 1 },
  };
}

function comparison(baseline: SideResult, system: SideResult): Comparison {
  return {
    plan: { connections: 32, warmupS: 3, roundS: 10, rounds: 2 },
    baseline,
    system,
    throughputRatio: system.perSecond / baseline.perSecond,
    p50Ratio: system.latencyMs.p50 / baseline.latencyMs.p50,
    p99Ratio: system.latencyMs.p99 / baseline.latencyMs.p99,
  };
}

describe("checkTargets", () => {
  it("passes and fails on the limits, and leaves what was not measured undecided", () => {
    const checks = checkTargets({
      users: comparison(side(1000, [1, 2]), side(600, [2, 5])), // ×0.6 throughput, p99 ×2.5
      image: comparison(side(1000, [1, 2]), side(400, [2, 8])), // ×0.4 throughput, p99 ×4
      feed: comparison(side(100, [5]), side(50, [6])), // stack feed p50 6 vs stack image p50 5
    });
    expect(checks.map((check) => check.pass)).toEqual([true, true, false, false, true]);
    expect(checks[4]?.value).toBeCloseTo(6 / 5);

    const none = checkTargets({});
    expect(none.every((check) => check.pass === undefined)).toBe(true);
  });
});

describe("the markdown results", () => {
  it("renders a table with right-aligned number columns and escaped pipes", () => {
    expect(markdownTable(["a", "b"], [["x|y", "1"]])).toBe("| a | b |\n| --- | ---: |\n| x\\|y | 1 |");
  });

  it("shows each endpoint's ratios, and a dash row for one not measured", () => {
    const table = readsTable({ users: comparison(side(1000, [1, 2]), side(500, [2, 4])) });
    expect(table).toContain("| GET /v1/users/{u} | 1000 | 500 | ×0.50 |");
    expect(table).toContain("| GET /v1/feed | — |");
  });

  it("shows each kind of settle with its failures by reason", () => {
    const result = {
      kind: "like" as const,
      count: 10,
      settled: 9,
      failures: 1,
      failureReasons: { "not visible in time": 1 },
      settle: summarize([10, 20, 30]),
      write: summarize([1, 2]),
      lag: summarize([0, 0.5]),
    };
    const table = settleTable([{ ratePerSecond: 200, results: [result] }]);
    expect(table).toContain("| like → likesCount | 200 | 10 | 9 | 1 (1× not visible in time) | 20 |");
  });
});
