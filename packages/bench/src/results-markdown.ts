import { mkdir, writeFile } from "node:fs/promises";
import { join } from "node:path";
import type { Comparison } from "./load/alternating.ts";
import { type BenchReport, summaryTable } from "./report.ts";
import type { SettleResult } from "./scenarios/event-settle.ts";
import { fixed, times } from "./table.ts";
import { checkTargets } from "./targets.ts";
import { endpointPaths, type ReadEndpoint, readEndpoints } from "./workload/requests.ts";

/** A GitHub-flavoured markdown table. */
export function markdownTable(header: readonly string[], rows: readonly (readonly string[])[]): string {
  const line = (cells: readonly string[]) =>
    `| ${cells.map((cell) => cell.replaceAll("|", "\\|")).join(" | ")} |`;
  return [
    line(header),
    line(header.map((_, column) => (column === 0 ? "---" : "---:"))),
    ...rows.map(line),
  ].join("\n");
}

function passMark(pass: boolean | undefined): string {
  return pass === undefined ? "not measured" : pass ? "pass" : "FAIL";
}

/** The distributed read paths: throughput and latency of both sides and their ratios. */
export function readsTable(reads: Partial<Record<ReadEndpoint, Comparison>>): string {
  const rows = readEndpoints.flatMap((endpoint) => {
    const c = reads[endpoint];
    if (!c) return [[endpointPaths[endpoint], "—", "—", "—", "—", "—", "—", "—", "—", "—", "—"]];
    const failures = (side: Comparison["baseline"]) => side.non2xx + side.errors + side.timeouts;
    return [
      [
        endpointPaths[endpoint],
        fixed(c.baseline.perSecond, 0),
        fixed(c.system.perSecond, 0),
        times(c.throughputRatio),
        fixed(c.baseline.latencyMs.p50, 2),
        fixed(c.system.latencyMs.p50, 2),
        times(c.p50Ratio),
        fixed(c.baseline.latencyMs.p99, 2),
        fixed(c.system.latencyMs.p99, 2),
        times(c.p99Ratio),
        `${failures(c.baseline)} / ${failures(c.system)}`,
      ],
    ];
  });
  return markdownTable(
    [
      "endpoint",
      "baseline req/s",
      "stack req/s",
      "thr. ratio",
      "baseline p50 ms",
      "stack p50 ms",
      "p50 ratio",
      "baseline p99 ms",
      "stack p99 ms",
      "p99 ratio",
      "failed (b / s)",
    ],
    rows,
  );
}

/** CPU milliseconds per request of each process tree, both sides of every endpoint. */
export function cpuTable(
  reads: Partial<Record<ReadEndpoint, Comparison>>,
  mixed?: Record<string, number>,
): string {
  const names = new Set<string>();
  for (const c of Object.values(reads)) {
    for (const name of Object.keys(c?.system.cpuMsPerRequest ?? {})) names.add(name);
  }
  for (const name of Object.keys(mixed ?? {})) names.add(name);
  const columns = [...names];
  const total = (cpu: Record<string, number>) =>
    columns.reduce((sum, name) => sum + (Number.isFinite(cpu[name]) ? (cpu[name] as number) : 0), 0);
  const row = (label: string, cpu: Record<string, number>) => [
    label,
    ...columns.map((name) => fixed(cpu[name], 3)),
    fixed(total(cpu), 3),
  ];
  const rows: string[][] = [];
  for (const endpoint of readEndpoints) {
    const c = reads[endpoint];
    if (!c) continue;
    rows.push(row(`${endpointPaths[endpoint]} baseline`, c.baseline.cpuMsPerRequest));
    rows.push(row(`${endpointPaths[endpoint]} stack`, c.system.cpuMsPerRequest));
  }
  if (mixed) rows.push(row("mixed workload (stack)", mixed));
  return markdownTable(["requests", ...columns, "total"], rows);
}

/** Event settle: one row per kind of write. */
export function settleTable(runs: readonly { ratePerSecond: number; results: SettleResult[] }[]): string {
  const what = { like: "like → likesCount", follow: "follow → image in feed" };
  return markdownTable(
    [
      "write → visible",
      "rate /s",
      "writes",
      "visible",
      "failed",
      "settle p50 ms",
      "settle p99 ms",
      "write p50 ms",
      "start lag p99 ms",
    ],
    runs.flatMap(({ ratePerSecond, results }) =>
      results.map((r) => [
        what[r.kind],
        String(ratePerSecond),
        String(r.count),
        String(r.settled),
        r.failures === 0
          ? "0"
          : `${r.failures} (${Object.entries(r.failureReasons)
              .map(([reason, n]) => `${n}× ${reason}`)
              .join(", ")})`,
        fixed(r.settle.p50, 0),
        fixed(r.settle.p99, 0),
        fixed(r.write.p50, 1),
        fixed(r.lag.p99, 1),
      ]),
    ),
  );
}

/** The whole run as markdown: what ran where, the tables, the targets. */
export function resultsMarkdown(report: BenchReport, command: string, infra = ""): string {
  const { reads, mixed, settle } = report.scenarios;
  const m = report.machine;
  const parts: string[] = [
    `# Benchmark ${report.startedAt.slice(0, 10)}`,
    "",
    `- machine: ${m.cores} cores (${m.cpuModel}), ${m.totalMemoryMiB} MiB, node ${m.node}, ${m.platform}/${m.arch}; ` +
      `load ${report.loadAverage.start.join(" ")} → ${report.loadAverage.end.join(" ")}`,
    `- command: \`${command}\`${infra === "" ? "" : ` ${infra}`} (scale ${report.scale}), ${(report.durationMs / 1000).toFixed(0)} s in all`,
  ];
  if (report.load) {
    const l = report.load;
    parts.push(
      `- distributed: ${l.backing}; dataset ${l.dataset}; requests spread over ${l.users} users, ${l.images} image ids and ${l.viewers} logged-in viewers`,
      `- load: autocannon, ${l.plan.connections} connections, ${l.plan.warmupS} s warm-up per side (discarded), ` +
        `${l.plan.rounds} rounds of ${l.plan.roundS} s per side, alternating baseline / stack; baseline: ${l.baseline}`,
    );
  }
  if (reads) {
    parts.push("", "## Distributed read paths: stack ÷ baseline", "", readsTable(reads));
    parts.push(
      "",
      "## Targets",
      "",
      markdownTable(
        ["target", "value", "limit", "result"],
        checkTargets(reads).map((check) => [
          check.target,
          times(check.value),
          `${check.target.includes("throughput") ? "≥" : "≤"} ×${check.limit}`,
          passMark(check.pass),
        ]),
      ),
    );
    parts.push(
      "",
      "## CPU time per request (ms, from /proc/<pid>/stat; postgres = postmaster + backends)",
      "",
      cpuTable(reads, mixed?.cpuMsPerRequest),
    );
  }
  if (mixed) {
    const kinds = Object.entries(mixed.kinds)
      .map(
        ([kind, statuses]) =>
          `${kind} ${Object.entries(statuses)
            .map(([s, n]) => `${n}×${s}`)
            .join(" ")}`,
      )
      .join("; ");
    parts.push(
      "",
      "## Mixed workload (60 % feed, 30 % user images, 10 % like / unlike / comment), stack only",
      "",
      markdownTable(
        ["connections", "seconds", "req/s (2xx)", "p50 ms", "p99 ms", "non-2xx", "errors + timeouts"],
        [
          [
            String(mixed.connections),
            String(mixed.durationS),
            fixed(mixed.perSecond, 0),
            fixed(mixed.latencyMs.p50, 2),
            fixed(mixed.latencyMs.p99, 2),
            String(mixed.non2xx),
            String(mixed.errors + mixed.timeouts),
          ],
        ],
      ),
      "",
      `answers by kind: ${kinds}`,
    );
  }
  if (settle && settle.length > 0) {
    parts.push(
      "",
      "## Event settle (open loop: writes at a fixed rate, each polled every 20 ms until visible)",
      "",
      settleTable(settle),
    );
  }
  const embedded = report.scenarios.embeddedReads;
  if (embedded) {
    parts.push(
      "",
      `## Embedded stack (one process, PGlite, in-process bus; the load generator shares its event loop); ${embedded.dataset}`,
      "",
      markdownTable(
        ["endpoint", "req/s", "p50 ms", "p99 ms", "failed"],
        readEndpoints.flatMap((endpoint) => {
          const side = embedded[endpoint];
          if (!side) return [];
          return [
            [
              endpointPaths[endpoint],
              fixed(side.perSecond, 0),
              fixed(side.latencyMs.p50, 2),
              fixed(side.latencyMs.p99, 2),
              String(side.non2xx + side.errors + side.timeouts),
            ],
          ];
        }),
      ),
    );
  }
  parts.push("", "## Other scenarios", "", "```", summaryTable(report), "```");
  const failures = Object.entries(report.failures);
  if (failures.length > 0) {
    parts.push(
      "",
      "## Failures",
      "",
      ...failures.map(([name, error]) => `- ${name}: ${error.split("\n")[0]}`),
    );
  }
  return `${parts.join("\n")}\n`;
}

/** bench/results/<date>-<machine>.md and .json. */
export async function writeResults(
  dir: string,
  report: BenchReport,
  markdown: string,
  machine: string,
): Promise<string> {
  await mkdir(dir, { recursive: true });
  const base = join(dir, `${report.startedAt.slice(0, 10)}-${machine}`);
  await writeFile(`${base}.md`, markdown);
  await writeFile(`${base}.json`, `${JSON.stringify(report, null, 2)}\n`);
  return base;
}
