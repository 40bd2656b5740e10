import { type Environment, parseEnv } from "@instagram/kit";
import { z } from "zod";

export const scenarioNames = [
  "path",
  "upload",
  "cascade",
  "memory",
  "reads",
  "mixed",
  "settle",
  // upload end to end with image files on the filesystem and in S3 (a private SeaweedFS)
  "stores",
] as const;
export type ScenarioName = (typeof scenarioNames)[number];

const benchEnvSchema = z.object({
  /** Multiplies iteration counts and data sizes: 0.1 for a quick run, 1 for the real thing. */
  BENCH_SCALE: z.coerce.number().positive().max(10).default(1),
  /** Comma-separated subset of path, upload, cascade, memory, reads, mixed, settle, stores. */
  BENCH_ONLY: z
    .string()
    .regex(new RegExp(`^(${scenarioNames.join("|")})(,(${scenarioNames.join("|")}))*$`), {
      error: `expected a comma-separated list of ${scenarioNames.join(", ")}`,
    })
    .optional(),
  /** Both set: the distributed and memory scenarios use them instead of a private PostgreSQL + Kafka. */
  DATABASE_URL: z.string().url().optional(),
  KAFKA_BROKERS: z.string().optional(),
  BENCH_REPORT_DIR: z.string().min(1).optional(),
  /** Where the markdown + JSON results go (default bench/results at the repository root). */
  BENCH_RESULTS_DIR: z.string().min(1).optional(),
  /** The machine's name in the results' file names (default: cores and CPU model). */
  BENCH_MACHINE: z
    .string()
    .regex(/^[A-Za-z0-9._-]+$/)
    .optional(),
  BENCH_LOG_LEVEL: z.enum(["trace", "debug", "info", "warn", "error", "fatal", "silent"]).default("error"),
  /** Seconds of one measured load round (default 10 × BENCH_SCALE, at least 1). */
  BENCH_DURATION_S: z.coerce.number().int().min(1).max(600).optional(),
  /**
   * Event settle: the first wait between two reads of one pending write, in ms (default 20; each
   * wait is at least a tenth of the time waited so far). Every pending write polls: at 200 writes/s
   * a short interval makes the polling itself a heavy read load.
   */
  BENCH_SETTLE_POLL_MS: z.coerce.number().int().min(1).max(10_000).default(20),
  /** Connections of the load generator (default 32). */
  BENCH_CONNECTIONS: z.coerce.number().int().min(1).max(1024).default(32),
  /** First of 16 consecutive ports for the distributed stacks and the baseline (default: free ports). */
  BENCH_PORT_BASE: z.coerce.number().int().min(1024).max(65_000).optional(),
  /** generated: the dataset generator writes users/images/follows straight into PostgreSQL; rest: a small one made through the API. */
  BENCH_DATASET: z.enum(["generated", "rest"]).default("generated"),
  /** 1: the generated dataset may replace the data of a given DATABASE_URL (a private infra is always replaced). */
  BENCH_DATASET_RESET: z.enum(["0", "1"]).default("0"),
  /** Victims of the deletion-cascade scenario; default 5 (fewer when BENCH_SCALE < 1). */
  BENCH_CASCADE_USERS: z.coerce.number().int().min(1).max(50).optional(),
});

export type BenchEnv = z.infer<typeof benchEnvSchema>;

export function loadBenchEnv(env: Environment): BenchEnv {
  return parseEnv(benchEnvSchema, env);
}

export function selectedScenarios(env: BenchEnv): Set<ScenarioName> {
  if (env.BENCH_ONLY === undefined) return new Set(scenarioNames);
  return new Set(env.BENCH_ONLY.split(",") as ScenarioName[]);
}

/** Iteration counts and sizes for a scale; every loop of the bench is bounded by these. */
export interface Plan {
  upload: { iterations: number; warmup: number; budgetMs: number };
  path: { requests: number; concurrency: number; rounds: number; warmup: number; budgetMs: number };
  cascade: {
    victims: number;
    images: number;
    likes: number;
    comments: number;
    ownLikes: number;
    ownComments: number;
    concurrency: number;
    budgetMs: number;
    settleTimeoutMs: number;
  };
  memory: { uploads: number; maxUploadBytes: number; sampleIntervalMs: number; uploadTimeoutMs: number };
  /** The distributed load scenarios (reads, mixed): rounds, and the REST-made dataset's size. */
  load: {
    connections: number;
    warmupS: number;
    roundS: number;
    rounds: number;
    mixedS: number;
    /** The generated dataset (10k users and 200k images at scale 1). */
    datasetUsers: number;
    datasetImages: number;
    /** Event settle: runs at these writes per second (open loop), seconds per kind, writes prepared per actor. */
    settleRates: number[];
    settleS: number;
    settlePollMs: number;
    settlePerActor: number;
    /** The REST-made dataset. */
    users: number;
    imagesPerUser: number;
    follows: number;
    viewers: number;
  };
}

export function planFor(
  scale: number,
  cascadeUsers?: number,
  load: { durationS?: number; connections?: number; settlePollMs?: number } = {},
): Plan {
  const scaled = (full: number, least: number): number => Math.max(least, Math.round(full * scale));
  return {
    upload: { iterations: scaled(20, 5), warmup: 3, budgetMs: 60_000 },
    path: { requests: scaled(1000, 200), concurrency: 8, rounds: 10, warmup: 50, budgetMs: 20_000 },
    cascade: {
      victims: cascadeUsers ?? Math.min(5, scaled(5, 2)),
      images: scaled(100, 5),
      likes: scaled(1000, 10),
      comments: scaled(1000, 10),
      ownLikes: scaled(10, 2),
      ownComments: scaled(10, 2),
      concurrency: 6,
      budgetMs: 140_000,
      settleTimeoutMs: 60_000,
    },
    memory: { uploads: 16, maxUploadBytes: 20 * 1024 * 1024, sampleIntervalMs: 50, uploadTimeoutMs: 180_000 },
    load: {
      connections: load.connections ?? 32,
      warmupS: Math.max(1, Math.round(3 * scale)),
      roundS: load.durationS ?? Math.max(1, Math.round(10 * scale)),
      rounds: 2,
      mixedS: load.durationS !== undefined ? 2 * load.durationS : Math.max(2, Math.round(20 * scale)),
      datasetUsers: scaled(10_000, 100),
      datasetImages: scaled(200_000, 2_000),
      // 200/s is the goal; 20/s shows the settle time of a system that is not saturated.
      settleRates: [20, 200],
      settleS: Math.max(1, Math.round(10 * scale)),
      settlePollMs: load.settlePollMs ?? 20,
      settlePerActor: 40,
      users: scaled(200, 20),
      imagesPerUser: 3,
      follows: Math.min(10, scaled(10, 5)),
      viewers: scaled(200, 20),
    },
  };
}
