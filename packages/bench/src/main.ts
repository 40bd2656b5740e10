// `npm run bench`: load against the stack beside a baseline in the same run; prints a table and
// writes a JSON report. See packages/bench/README.md.
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { freePorts, services, startDistributedStack, startEmbeddedStack } from "@instagram/stack";
import { pollUntil } from "./bounded-runs.ts";
import { runDistributedLoad } from "./distributed-load.ts";
import { loadBenchEnv, planFor, selectedScenarios } from "./env.ts";
import { GatewayClient, type Person } from "./gateway-client.ts";
import { type LocalInfra, startLocalInfra } from "./local-infra.ts";
import { startLocalObjectStore } from "./local-object-store.ts";
import { describeMachine, loadAverage, machineSlug } from "./machine.ts";
import { listenerPid } from "./process-memory.ts";
import { type BenchReport, summaryTable, writeReport } from "./report.ts";
import { repositoryRoot } from "./repository.ts";
import { resultsMarkdown, writeResults } from "./results-markdown.ts";
import { noisePngUnder, photoJpeg, tinyPng } from "./sample-images.ts";
import { measureDeletionCascade } from "./scenarios/deletion-cascade.ts";
import { measureEmbeddedReads } from "./scenarios/embedded-reads.ts";
import { measureRequestPath } from "./scenarios/request-path.ts";
import { measureUploadLatency } from "./scenarios/upload-latency.ts";
import { measureUploadMemory } from "./scenarios/upload-memory.ts";
import { measureUploadStores } from "./scenarios/upload-stores.ts";

const env = loadBenchEnv(process.env);
const plan = planFor(env.BENCH_SCALE, env.BENCH_CASCADE_USERS, {
  durationS: env.BENCH_DURATION_S,
  connections: env.BENCH_CONNECTIONS,
  settlePollMs: env.BENCH_SETTLE_POLL_MS,
});
const selected = selectedScenarios(env);
const began = performance.now();
const log = (message: string): void => {
  process.stderr.write(`[bench +${((performance.now() - began) / 1000).toFixed(1)}s] ${message}\n`);
};
// A benchmark logs in many users from one address: lift the gateway's per-address login limit.
const stackEnv = { LOGIN_RATE_CLIENT_MAX_ATTEMPTS: "1000000" };

const report: BenchReport = {
  startedAt: new Date().toISOString(),
  finishedAt: "",
  durationMs: 0,
  machine: describeMachine(),
  loadAverage: { start: loadAverage(), end: [0, 0, 0] },
  scale: env.BENCH_SCALE,
  plan,
  scenarios: {},
  failures: {},
};
log(
  `${report.machine.cores} cores, load ${report.loadAverage.start.join(" ")}, node ${report.machine.node}, ` +
    `scale ${env.BENCH_SCALE}, scenarios ${[...selected].join(", ")}`,
);

async function attempt(name: string, run: () => Promise<void>): Promise<void> {
  const started = performance.now();
  log(`${name}: start`);
  try {
    await run();
    log(`${name}: done in ${((performance.now() - started) / 1000).toFixed(1)} s`);
  } catch (error) {
    const message = error instanceof Error ? (error.stack ?? error.message) : String(error);
    report.failures[name] = message;
    log(`${name}: FAILED ${message}`);
  }
}

/** The caller's profile is made from accounts.CREATED: wait until GET /v1/users/me answers. */
async function profileReady(api: GatewayClient, person: Person): Promise<void> {
  const ready = await pollUntil(
    async () => (await api.call("GET", "/v1/users/me", { token: person.token })).status === 200,
    {
      timeoutMs: 30_000,
      intervalMs: 100,
    },
  );
  if (!ready) throw new Error(`the profile of ${person.username} did not appear within 30 s`);
}

const workDir = await mkdtemp(join(tmpdir(), "instagram-bench-"));
// One PostgreSQL + Kafka for every scenario that needs them: given, or private to this run.
let infra: LocalInfra | undefined;
let backing: { databaseUrl: string; kafkaBrokers: string } | undefined =
  env.DATABASE_URL && env.KAFKA_BROKERS
    ? { databaseUrl: env.DATABASE_URL, kafkaBrokers: env.KAFKA_BROKERS }
    : undefined;
const distributedLoad = selected.has("reads") || selected.has("mixed") || selected.has("settle");
try {
  if (selected.has("path") || selected.has("upload") || selected.has("cascade") || selected.has("reads")) {
    log("starting the embedded stack");
    const stack = await startEmbeddedStack({
      dataDir: join(workDir, "embedded"),
      ports: await freePorts(services.map((service) => service.name)),
      logLevel: env.BENCH_LOG_LEVEL,
      env: stackEnv,
    });
    try {
      const api = new GatewayClient(stack.gatewayUrl);
      const person = await api.newPerson("bench");
      await profileReady(api, person);
      log(`embedded stack up at ${stack.gatewayUrl}`);

      if (selected.has("path")) {
        await attempt("request path (embedded)", async () => {
          report.scenarios.requestPath = await measureRequestPath({
            gatewayUrl: stack.gatewayUrl,
            userServiceUrl: stack.urls.user ?? "",
            token: person.token,
            ...plan.path,
            deadline: Date.now() + plan.path.budgetMs,
          });
        });
      }
      if (selected.has("upload")) {
        await attempt("upload latency", async () => {
          report.scenarios.uploadLatency = await measureUploadLatency({
            api,
            token: person.token,
            workDir,
            ...plan.upload,
            deadline: Date.now() + plan.upload.budgetMs,
          });
        });
      }
      if (selected.has("cascade")) {
        await attempt("deletion cascade", async () => {
          const { victims, images, likes, comments, ownLikes, ownComments } = plan.cascade;
          report.scenarios.deletionCascade = await measureDeletionCascade({
            api,
            size: { victims, images, likes, comments, ownLikes, ownComments },
            tinyImage: new Blob([new Uint8Array(await tinyPng())], { type: "image/png" }),
            concurrency: plan.cascade.concurrency,
            deadline: Date.now() + plan.cascade.budgetMs,
            settleTimeoutMs: plan.cascade.settleTimeoutMs,
            pollIntervalMs: 50,
          });
        });
      }
      if (selected.has("reads")) {
        await attempt("reads (embedded)", async () => {
          const { connections, warmupS, roundS, rounds } = plan.load;
          report.scenarios.embeddedReads = await measureEmbeddedReads({
            api,
            image: new Blob([new Uint8Array(await tinyPng())], { type: "image/png" }),
            plan: { connections, warmupS, roundS, rounds },
            endpoints: ["users", "feed"],
          });
        });
      }
    } finally {
      await stack.stop();
    }
  }

  if (selected.has("stores")) {
    await attempt("upload: files | S3", async () => {
      log("starting a private SeaweedFS (scripts/seaweedfs.sh; the first run builds it)");
      const objectStore = await startLocalObjectStore(workDir);
      const stacks: Awaited<ReturnType<typeof startEmbeddedStack>>[] = [];
      try {
        const storeUnderTest = async (name: string, blobEnv: Record<string, string>) => {
          const stack = await startEmbeddedStack({
            dataDir: join(workDir, `stores-${name}`),
            ports: await freePorts(services.map((service) => service.name)),
            logLevel: env.BENCH_LOG_LEVEL,
            env: { ...stackEnv, ...blobEnv },
          });
          stacks.push(stack);
          const api = new GatewayClient(stack.gatewayUrl);
          const person = await api.newPerson(`st${name}`);
          await profileReady(api, person);
          return { api, token: person.token };
        };
        const file = await storeUnderTest("file", { BLOB_STORE: "file" });
        const s3 = await storeUnderTest("s3", objectStore.env);
        report.scenarios.uploadStores = await measureUploadStores({
          file,
          s3,
          ...plan.upload,
          deadline: Date.now() + plan.upload.budgetMs * 2,
        });
      } finally {
        for (const stack of stacks) await stack.stop();
        await objectStore.stop();
      }
    });
  }

  // Separate processes need a broker (a lone service refuses to start on an in-process bus).
  if (!backing && (distributedLoad || selected.has("memory"))) {
    await attempt("private PostgreSQL + Kafka", async () => {
      log("starting a private PostgreSQL + Kafka (scripts/infra.sh)");
      infra = await startLocalInfra(workDir);
      backing = infra;
    });
  }

  if (distributedLoad && backing) {
    const given = backing;
    await attempt("distributed load", () =>
      runDistributedLoad({
        backing: given,
        plan,
        selected,
        portBase: env.BENCH_PORT_BASE,
        datasetKind: env.BENCH_DATASET,
        // A private infra is this run's own; a given database is replaced only when asked.
        resetData: infra !== undefined || env.BENCH_DATASET_RESET === "1",
        workDir,
        logLevel: env.BENCH_LOG_LEVEL,
        stackEnv,
        report,
        log,
        attempt,
      }),
    );
  }

  if (selected.has("memory") && backing) {
    const given = backing;
    await attempt("upload memory", async () => {
      {
        const filePath = join(workDir, "noise.png");
        const file = await noisePngUnder(filePath, plan.memory.maxUploadBytes);
        log(`big upload: ${file.width}×${file.height} noise PNG, ${file.bytes} bytes`);
        log("starting each service as its own process (PostgreSQL + Kafka)");
        const start = async () =>
          startDistributedStack({
            databaseUrl: given.databaseUrl,
            kafkaBrokers: given.kafkaBrokers,
            ports:
              env.BENCH_PORT_BASE === undefined
                ? await freePorts(services.map((service) => service.name))
                : Object.fromEntries(
                    services.map((service, index) => [
                      service.name,
                      (env.BENCH_PORT_BASE as number) + 10 + index,
                    ]),
                  ),
            dataDir: join(workDir, "distributed"),
            logLevel: env.BENCH_LOG_LEVEL,
            env: stackEnv,
            readyTimeoutMs: 120_000,
          });
        // On a fresh Kafka, services creating the same topics at once can fail to start (the kit's
        // topic creation does not retry UNKNOWN_TOPIC_OR_PARTITION); the topics exist the second time.
        const stack = await start().catch(async (error: unknown) => {
          log(`the stack did not start (${firstLine(error)}); once more`);
          return start();
        });
        try {
          const pids: Record<string, number> = {};
          for (const { name } of services) {
            const pid = await listenerPid(Number(new URL(stack.urls[name] ?? "").port));
            if (pid === undefined)
              throw new Error(`no process found listening for ${name} at ${stack.urls[name]}`);
            pids[name] = pid;
          }
          const api = new GatewayClient(stack.gatewayUrl, plan.memory.uploadTimeoutMs);
          const person = await api.newPerson("heavy");
          log(`processes up (gateway pid ${pids.gateway}, image pid ${pids.image})`);
          const result = await measureUploadMemory({
            api,
            token: person.token,
            userId: person.id,
            imageServiceUrl: stack.urls.image ?? "",
            pids,
            file: { path: filePath, type: "image/png", bytes: file.bytes },
            warmupImage: new Blob([new Uint8Array(await photoJpeg(1000, 1000))], { type: "image/jpeg" }),
            uploads: plan.memory.uploads,
            sampleIntervalMs: plan.memory.sampleIntervalMs,
            baselineMs: 1_000,
            uploadTimeoutMs: plan.memory.uploadTimeoutMs,
          });
          report.scenarios.uploadMemory = {
            ...result,
            backing: "postgresql + kafka",
            file: { format: "png", ...file, limitBytes: plan.memory.maxUploadBytes },
          };
          if (selected.has("path")) {
            await attempt("request path (separate processes)", async () => {
              await profileReady(api, person);
              report.scenarios.requestPathDistributed = await measureRequestPath({
                gatewayUrl: stack.gatewayUrl,
                userServiceUrl: stack.urls.user ?? "",
                token: person.token,
                ...plan.path,
                deadline: Date.now() + plan.path.budgetMs,
              });
            });
          }
        } finally {
          await stack.stop();
        }
      }
    });
  }
} finally {
  await infra?.stop();
  await rm(workDir, { recursive: true, force: true });
}

report.loadAverage.end = loadAverage();
report.finishedAt = new Date().toISOString();
report.durationMs = Math.round(performance.now() - began);
const reportDir = resolve(repositoryRoot, env.BENCH_REPORT_DIR ?? ".data/bench");
const reportPath = await writeReport(reportDir, report);
const command = `BENCH_SCALE=${env.BENCH_SCALE}${env.BENCH_ONLY ? ` BENCH_ONLY=${env.BENCH_ONLY}` : ""} npm run bench`;
const infraNote =
  env.DATABASE_URL && env.KAFKA_BROKERS
    ? "on the PostgreSQL + Kafka of DATABASE_URL and KAFKA_BROKERS"
    : "on a private PostgreSQL + Kafka (scripts/infra.sh)";
const resultsBase = await writeResults(
  resolve(repositoryRoot, env.BENCH_RESULTS_DIR ?? "bench/results"),
  report,
  resultsMarkdown(report, command, infraNote),
  env.BENCH_MACHINE ?? machineSlug(report.machine),
);

process.stdout.write(
  `\n${summaryTable(report)}\n\n` +
    `machine: ${report.machine.cores} cores (${report.machine.cpuModel}), node ${report.machine.node}; ` +
    `load ${report.loadAverage.start.join(" ")} → ${report.loadAverage.end.join(" ")}; ` +
    `${(report.durationMs / 1000).toFixed(0)} s in all\n` +
    `report: ${reportPath}\nresults: ${resultsBase}.md, .json\n`,
);
const failed = Object.keys(report.failures);
if (failed.length > 0) {
  process.stdout.write(`FAILED: ${failed.join(", ")} (details in the report)\n`);
  process.exitCode = 1;
}

function firstLine(error: unknown): string {
  return (error instanceof Error ? error.message : String(error)).split("\n")[0] ?? "";
}
