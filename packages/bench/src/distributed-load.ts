import { join } from "node:path";
import { freePorts, type Ports, services, startDistributedStack } from "@instagram/stack";
import { startBaselineProcess } from "./baseline/process.ts";
import { generateDataset, type SettleActor } from "./dataset/index.ts";
import type { Plan, ScenarioName } from "./env.ts";
import { GatewayClient } from "./gateway-client.ts";
import type { LoadPlan } from "./load/alternating.ts";
import { type CpuRoots, clockTicksPerSecond } from "./load/cpu-time.ts";
import { listenerPid } from "./process-memory.ts";
import type { BenchReport } from "./report.ts";
import { tinyPng } from "./sample-images.ts";
import { loginActors, measureEventSettle } from "./scenarios/event-settle.ts";
import { measureMixedWorkload } from "./scenarios/mixed-workload.ts";
import { measureReadPaths } from "./scenarios/read-paths.ts";
import { datasetSettled, type LoadDataset, restDataset } from "./workload/dataset.ts";
import { logInViewers, readEndpoints } from "./workload/requests.ts";

export interface Backing {
  databaseUrl: string;
  kafkaBrokers: string;
}

/**
 * The distributed scenarios: every service its own process on PostgreSQL + Kafka, a one-process
 * baseline on the same database, a dataset, then the read paths side by side and the mixed workload.
 */
export async function runDistributedLoad(opts: {
  backing: Backing;
  plan: Plan;
  selected: ReadonlySet<ScenarioName>;
  portBase?: number;
  /** generated: written into PostgreSQL before the stack starts; rest: made through the API after. */
  datasetKind: "generated" | "rest";
  /** The generated dataset may replace what the database holds. */
  resetData: boolean;
  workDir: string;
  logLevel: string;
  stackEnv: Record<string, string>;
  report: BenchReport;
  log: (message: string) => void;
  attempt: (name: string, run: () => Promise<void>) => Promise<void>;
}): Promise<void> {
  const { plan, report, log } = opts;
  const names = [...services.map((service) => service.name), "baseline"] as const;
  const ports: Ports & { baseline: number } =
    opts.portBase === undefined
      ? ((await freePorts([...names])) as Ports & { baseline: number })
      : (Object.fromEntries(
          names.map((name, index) => [name, (opts.portBase as number) + index]),
        ) as Ports & {
          baseline: number;
        });
  const dataDir = join(opts.workDir, "distributed-load");
  let generated: LoadDataset | undefined;
  let settleActors: { actors: SettleActor[]; password: string; feedPageLimit: number } | undefined;
  if (opts.datasetKind === "generated") {
    log(`generating ${plan.load.datasetUsers} users and ${plan.load.datasetImages} images into PostgreSQL`);
    const made = await generateDataset({
      databaseUrl: opts.backing.databaseUrl,
      blobDir: join(dataDir, "blobs"), // image-service's BLOB_DIR under the stack's DATA_DIR
      users: plan.load.datasetUsers,
      images: plan.load.datasetImages,
      reset: opts.resetData,
      // Each settle run needs its own actors: their prepared writes are single use.
      settleActors: plan.load.settleRates.reduce(
        (sum, rate) => sum + Math.ceil((rate * plan.load.settleS) / plan.load.settlePerActor),
        0,
      ),
      settlePerActor: plan.load.settlePerActor,
      onProgress: (phase, ms) => log(`  dataset: ${phase} ${(ms / 1000).toFixed(1)} s`),
    });
    generated = {
      users: made.users.map((user) => ({ ...user, password: made.password })),
      imageIds: made.sampleImageIds,
      source: `generator: ${Object.entries(made.counts)
        .map(([table, count]) => `${count} ${table}`)
        .join(", ")}`,
    };
    report.dataset = { counts: made.counts, phases: made.phases };
    settleActors = {
      actors: made.settle.actors,
      password: made.password,
      feedPageLimit: made.settle.feedPageLimit,
    };
  }
  log(`starting the distributed stack (gateway :${ports.gateway}) on PostgreSQL + Kafka`);
  const start = () =>
    startDistributedStack({
      databaseUrl: opts.backing.databaseUrl,
      kafkaBrokers: opts.backing.kafkaBrokers,
      ports,
      dataDir,
      logLevel: opts.logLevel,
      // Their log lines (errors, by default) on stderr: a 5xx under load must leave its reason.
      echo: opts.logLevel !== "silent",
      env: opts.stackEnv,
      readyTimeoutMs: 120_000,
    });
  // A fresh Kafka can fail a first start while topics get leaders (see main.ts); once more.
  const stack = await start().catch(async (error: unknown) => {
    log(
      `the stack did not start (${error instanceof Error ? error.message.split("\n")[0] : String(error)}); once more`,
    );
    return start();
  });
  try {
    const baseline = await startBaselineProcess({
      port: ports.baseline,
      databaseUrl: opts.backing.databaseUrl,
      jwksUrl: `${stack.urls.auth}/.well-known/jwks.json`,
    });
    try {
      const api = new GatewayClient(stack.gatewayUrl);
      log(`baseline pid ${baseline.pid} at ${baseline.url}`);
      const dataset =
        generated ??
        (await restDataset({
          api,
          users: plan.load.users,
          imagesPerUser: plan.load.imagesPerUser,
          follows: plan.load.follows,
          image: new Blob([new Uint8Array(await tinyPng())], { type: "image/png" }),
          concurrency: 6,
        }));
      if (!generated && !(await datasetSettled(api, dataset))) {
        log("the dataset's events had not all settled after 60 s; measuring anyway");
      }
      const viewers = await logInViewers(api, dataset, plan.load.viewers, 6);
      const cpuRoots = await processTrees(stack.urls, baseline.pid, opts.backing);
      const hz = await clockTicksPerSecond();
      const loadPlan: LoadPlan = {
        connections: plan.load.connections,
        warmupS: plan.load.warmupS,
        roundS: plan.load.roundS,
        rounds: plan.load.rounds,
      };
      report.load = {
        plan: loadPlan,
        dataset: dataset.source,
        users: dataset.users.length,
        images: dataset.imageIds.length,
        viewers: viewers.length,
        baseline: "child process (Node, Hono + jose + postgres.js, pool 10)",
        backing: "PostgreSQL + Kafka, one process per service",
        cpuRoots: Object.keys(cpuRoots),
      };
      log(
        `dataset ready (${dataset.source}); ${viewers.length} viewers; CPU of ${Object.keys(cpuRoots).join(", ")}`,
      );

      if (opts.selected.has("reads")) {
        await opts.attempt("distributed reads", async () => {
          report.scenarios.reads = await measureReadPaths({
            endpoints: readEndpoints,
            baselineUrl: baseline.url,
            gatewayUrl: stack.gatewayUrl,
            viewers,
            dataset,
            plan: loadPlan,
            cpuRoots,
            hz,
            log,
            fail: (endpoint, error) => {
              report.failures[`reads ${endpoint}`] =
                error instanceof Error ? (error.stack ?? error.message) : String(error);
              log(`reads ${endpoint}: FAILED ${String(error)}`);
            },
          });
        });
      }
      if (opts.selected.has("mixed")) {
        await opts.attempt("mixed workload", async () => {
          report.scenarios.mixed = await measureMixedWorkload({
            gatewayUrl: stack.gatewayUrl,
            viewers,
            dataset,
            connections: plan.load.connections,
            warmupS: plan.load.warmupS,
            durationS: plan.load.mixedS,
            cpuRoots,
            hz,
          });
        });
      }
      if (opts.selected.has("settle")) {
        await opts.attempt("event settle", async () => {
          if (!settleActors)
            throw new Error(
              "the event-settle scenario needs the generated dataset (BENCH_DATASET=generated)",
            );
          const all = await loginActors(stack.gatewayUrl, settleActors.actors, settleActors.password);
          report.scenarios.settle = [];
          let next = 0;
          for (const rate of plan.load.settleRates) {
            const count = Math.ceil((rate * plan.load.settleS) / plan.load.settlePerActor);
            const actors = all.slice(next, next + count);
            next += count;
            const results = await measureEventSettle({
              gatewayUrl: stack.gatewayUrl,
              actors,
              ratePerSecond: rate,
              durationS: plan.load.settleS,
              feedPageLimit: settleActors.feedPageLimit,
              pollIntervalMs: plan.load.settlePollMs,
            });
            report.scenarios.settle.push({ ratePerSecond: rate, results });
            for (const result of results) {
              log(
                `  settle ${result.kind} at ${rate}/s: ${result.settled}/${result.count} visible, ` +
                  `p50 ${result.settle.p50.toFixed(0)} ms, p99 ${result.settle.p99.toFixed(0)} ms, ${result.failures} failed`,
              );
            }
          }
        });
      }
    } finally {
      await baseline.stop();
    }
  } finally {
    await stack.stop();
  }
}

/** The process trees whose CPU time is accounted: each service, the baseline, PostgreSQL and Kafka. */
async function processTrees(
  urls: Partial<Record<string, string>>,
  baselinePid: number,
  backing: Backing,
): Promise<CpuRoots> {
  const roots: CpuRoots = {};
  for (const { name } of services) {
    const pid = await listenerPid(Number(new URL(urls[name] ?? "").port));
    if (pid !== undefined) roots[name] = pid;
  }
  roots.baseline = baselinePid;
  const postgres = await listenerPid(Number(new URL(backing.databaseUrl).port || 5432), { anyProcess: true });
  if (postgres !== undefined) roots.postgres = postgres;
  const kafkaPort = Number(backing.kafkaBrokers.split(",")[0]?.split(":").pop());
  const kafka = await listenerPid(kafkaPort, { anyProcess: true });
  if (kafka !== undefined) roots.kafka = kafka;
  return roots;
}
