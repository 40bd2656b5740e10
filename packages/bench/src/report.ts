import { mkdir, writeFile } from "node:fs/promises";
import { join } from "node:path";
import type { Plan } from "./env.ts";
import type { LoadPlan } from "./load/alternating.ts";
import type { MachineInfo } from "./machine.ts";
import type { CascadeResult } from "./scenarios/deletion-cascade.ts";
import type { EmbeddedReadsResult } from "./scenarios/embedded-reads.ts";
import type { SettleResult } from "./scenarios/event-settle.ts";
import type { MixedWorkloadResult } from "./scenarios/mixed-workload.ts";
import type { ReadPathsResult } from "./scenarios/read-paths.ts";
import type { RequestPathResult } from "./scenarios/request-path.ts";
import type { UploadLatencyResult } from "./scenarios/upload-latency.ts";
import type { UploadMemoryResult } from "./scenarios/upload-memory.ts";
import type { UploadStoresResult } from "./scenarios/upload-stores.ts";
import { fixed, renderTable, times } from "./table.ts";

export interface MemoryScenarioReport extends UploadMemoryResult {
  /** What the separate processes ran on. */
  backing: "pglite + in-process bus" | "postgresql + kafka";
  file: { format: string; width: number; height: number; bytes: number; limitBytes: number };
}

export interface BenchReport {
  startedAt: string;
  finishedAt: string;
  durationMs: number;
  machine: MachineInfo;
  loadAverage: { start: [number, number, number]; end: [number, number, number] };
  scale: number;
  plan: Plan;
  scenarios: {
    requestPath?: RequestPathResult;
    /** Only with PostgreSQL + Kafka: without a shared bus, separate processes never create profiles. */
    requestPathDistributed?: RequestPathResult;
    uploadLatency?: UploadLatencyResult;
    /** Upload and read back with image files on the filesystem and in S3 (SeaweedFS). */
    uploadStores?: UploadStoresResult;
    deletionCascade?: CascadeResult;
    uploadMemory?: MemoryScenarioReport;
    /** Distributed stack on PostgreSQL + Kafka against the one-process baseline. */
    reads?: ReadPathsResult;
    mixed?: MixedWorkloadResult;
    /** The same read load against the embedded stack (no baseline). */
    embeddedReads?: EmbeddedReadsResult;
    /** Like → likesCount, follow → the followee's image in the feed, at a fixed write rate. */
    settle?: { ratePerSecond: number; results: SettleResult[] }[];
  };
  /** The generated dataset: rows per table, time per phase. */
  dataset?: { counts: Record<string, number>; phases: { phase: string; ms: number }[] };
  /** How the distributed load scenarios were set up. */
  load?: LoadSetup;
  /** Scenario → error message, for those that failed. */
  failures: Record<string, string>;
}

export interface LoadSetup {
  plan: LoadPlan;
  dataset: string;
  users: number;
  images: number;
  viewers: number;
  baseline: string;
  backing: string;
  /** The process trees whose CPU time is read around each round. */
  cpuRoots: string[];
}

export async function writeReport(dir: string, report: BenchReport): Promise<string> {
  await mkdir(dir, { recursive: true });
  const stamp = report.startedAt.replace(/[:.]/g, "-");
  const path = join(dir, `report-${stamp}.json`);
  await writeFile(path, `${JSON.stringify(report, null, 2)}\n`);
  return path;
}

/** The final table: one row per number, the baseline beside the system under test. */
export function summaryTable(report: BenchReport): string {
  const rows: string[][] = [];
  const { requestPath, requestPathDistributed, uploadLatency, deletionCascade, uploadMemory } =
    report.scenarios;

  if (uploadLatency) {
    const u = uploadLatency;
    const title = `upload 1 MP JPEG (n=${u.iterations})`;
    rows.push([title, "p50 ms", fixed(u.sharpMs.p50), fixed(u.uploadMs.p50), times(u.ratioP50)]);
    rows.push([
      "  sharp alone | POST /v1/images",
      "p95 ms",
      fixed(u.sharpMs.p95),
      fixed(u.uploadMs.p95),
      times(u.ratioP95),
    ]);
  }
  const stores = report.scenarios.uploadStores;
  if (stores) {
    const { file, s3 } = stores;
    rows.push([
      `upload 1 MP JPEG, embedded (n=${stores.iterations})`,
      "p50 ms",
      fixed(file.uploadMs.p50),
      fixed(s3.uploadMs.p50),
      times(stores.uploadRatioP50),
    ]);
    rows.push([
      "  files | S3 (SeaweedFS)",
      "p95 ms",
      fixed(file.uploadMs.p95),
      fixed(s3.uploadMs.p95),
      times(s3.uploadMs.p95 / file.uploadMs.p95),
    ]);
    rows.push([
      "  GET content, files | S3",
      "p50 ms",
      fixed(file.contentMs.p50),
      fixed(s3.contentMs.p50),
      times(stores.contentRatioP50),
    ]);
  }
  for (const [label, path] of [
    ["embedded", requestPath],
    ["separate processes", requestPathDistributed],
  ] as const) {
    if (!path) continue;
    rows.push([
      `GET /v1/users/me, ${label} (c=${path.concurrency}, n=${path.gateway.requests})`,
      "req/s",
      fixed(path.direct.perSecond, 0),
      fixed(path.gateway.perSecond, 0),
      times(path.throughputRatio),
    ]);
    rows.push([
      "  direct RPC | via gateway",
      "p50 ms",
      fixed(path.direct.latencyMs.p50, 2),
      fixed(path.gateway.latencyMs.p50, 2),
      times(path.ratioP50),
    ]);
    rows.push([
      "",
      "p99 ms",
      fixed(path.direct.latencyMs.p99, 2),
      fixed(path.gateway.latencyMs.p99, 2),
      times(path.ratioP99),
    ]);
  }
  if (deletionCascade) {
    const c = deletionCascade;
    const size = `${c.size.images} img, ${c.size.likes} likes, ${c.size.comments} comments`;
    const timedOut = c.timedOut.length > 0 ? `, ${c.timedOut.length} timed out` : "";
    rows.push([
      `account deletion settle (n=${c.measured}${timedOut}; ${size})`,
      "p50 ms",
      fixed(c.deleteAnswerMs.p50),
      fixed(c.settleMs.p50),
      times(c.settleMs.p50 / c.deleteAnswerMs.p50),
    ]);
    rows.push([
      "  DELETE answer | nothing left",
      "p99 ms",
      fixed(c.deleteAnswerMs.p99),
      fixed(c.settleMs.p99),
      times(c.settleMs.p99 / c.deleteAnswerMs.p99),
    ]);
  }
  if (uploadMemory) {
    const m = uploadMemory;
    const answers = Object.entries(m.statuses)
      .map(([status, count]) => `${count} × ${status}`)
      .join(", ");
    const stored = m.storedImages === undefined ? "" : `, ${m.storedImages} stored`;
    rows.push([
      `${m.uploads}×${fixed(m.fileBytes / 1024 / 1024, 1)} MiB uploads at once (${answers}${stored}; ${m.backing})`,
      "",
      "",
      "",
      "",
    ]);
    for (const [name, memory] of Object.entries(m.processes)) {
      if (name !== "gateway" && name !== "image") continue; // the others are in the JSON
      rows.push([
        `  ${name} RSS: before | peak (HWM ${fixed(memory.hwmAfterMiB, 0)})`,
        "MiB",
        fixed(memory.baselineRssMiB, 0),
        fixed(memory.peakRssMiB, 0),
        `${times(memory.peakRssMiB / m.totalUploadMiB)} (+${fixed(memory.growthPerUploadedByte, 2)})`,
      ]);
    }
  }
  return renderTable(
    ["scenario  (baseline | system under test)", "measure", "baseline", "system", "ratio"],
    rows,
  );
}
