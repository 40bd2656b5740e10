import { type ChildProcess, spawn } from "node:child_process";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import type { Environment, Logger } from "@instagram/kit";
import {
  type Ports,
  portOf,
  type ServiceEntry,
  type ServiceName,
  services,
  serviceUrlVariables,
  startWaves,
} from "./services.ts";

export interface DistributedStackOptions {
  databaseUrl: string;
  kafkaBrokers: string;
  ports?: Ports;
  /**
   * Ports of further instances of a service (`{ user: [9182] }`: a second user-service, named
   * "user.2"); every process's *_SERVICE_URL lists all instances of each service.
   */
  replicas?: Partial<Record<ServiceName, number[]>>;
  host?: string;
  /** Shared by every process (auth's signing key lives here); a fresh temp dir when absent. */
  dataDir?: string;
  logLevel?: string;
  /** Extra variables for every process. */
  env?: Environment;
  /** Copy each process's output to this process's stderr, prefixed by its name. */
  echo?: boolean;
  readyTimeoutMs?: number;
  /**
   * Restart a service whose process ends on its own (not through kill/restart/stop), as a process
   * manager would: after 0.5 s, doubling on each further crash up to 30 s; the delay starts over
   * once the process has run for a minute. Off by default (tests kill services on purpose).
   */
  supervise?: boolean;
  /** Where supervision reports crashes and restarts. */
  logger?: Pick<Logger, "info" | "warn" | "error">;
  /**
   * Development: each service runs under `node --watch`, which restarts it when its sources or
   * those of a workspace package it imports change (and, after a crash, once a file is saved).
   */
  watch?: boolean;
}

/** Supervision's delays: first restart, cap, and how long a run must last to start over. */
const restartDelayMs = { first: 500, max: 30_000, healthyAfter: 60_000 };

/** A service's first instance goes by the service's name, further ones by `<name>.<n>` (n ≥ 2). */
export type InstanceName = ServiceName | `${ServiceName}.${number}`;

export interface DistributedStack {
  gatewayUrl: string;
  urls: Partial<Record<ServiceName, string>>;
  dataDir: string;
  /** Base URL of every instance, by instance name. */
  instanceUrls: Partial<Record<InstanceName, string>>;
  /** The last lines a service printed. */
  output(service: InstanceName): string;
  /** Ends a service's process (SIGKILL by default: a crash, no graceful drain). */
  kill(service: InstanceName, signal?: NodeJS.Signals): Promise<void>;
  /** Starts a service's process again on the same port and waits until it is ready. */
  restart(service: InstanceName): Promise<void>;
  /**
   * Sends a signal to a service's processes and returns at once: SIGSTOP/SIGCONT to freeze and
   * thaw it, or a SIGKILL that supervision (when on) treats as a crash.
   */
  signal(service: InstanceName, signal: NodeJS.Signals): void;
  /** The process id of a service (undefined when it is not running). */
  pid(service: InstanceName): number | undefined;
  stop(): Promise<void>;
}

const repositoryRoot = resolve(dirname(fileURLToPath(import.meta.url)), "../../..");
const outputLines = 200;

interface RunningService {
  entry: ServiceEntry;
  name: InstanceName;
  url: string;
  env: NodeJS.ProcessEnv;
  child: ChildProcess | undefined;
  exited: Promise<void>;
  output: string[];
  /** The process is being ended on purpose: its exit is not a crash. */
  ending: boolean;
  /** Crashes in a row (each run shorter than restartDelayMs.healthyAfter). */
  crashes: number;
  startedAt: number;
  restartTimer: ReturnType<typeof setTimeout> | undefined;
}

/** Every service as its own Node process against real PostgreSQL and Kafka. */
export async function startDistributedStack(options: DistributedStackOptions): Promise<DistributedStack> {
  const host = options.host ?? "127.0.0.1";
  const ownDataDir = options.dataDir === undefined;
  const dataDir = options.dataDir ?? (await mkdtemp(join(tmpdir(), "instagram-stack-")));
  const urls: Partial<Record<ServiceName, string>> = {};
  for (const entry of services) urls[entry.name] = `http://${host}:${portOf(entry, options.ports)}`;
  const instancePorts = (entry: ServiceEntry): [InstanceName, number][] => [
    [entry.name, portOf(entry, options.ports)],
    ...(options.replicas?.[entry.name] ?? []).map((port, i): [InstanceName, number] => [
      `${entry.name}.${i + 2}`,
      port,
    ]),
  ];
  const instanceUrls: Partial<Record<InstanceName, string>> = {};
  const urlLists: Partial<Record<ServiceName, string>> = {};
  for (const entry of services) {
    const list = instancePorts(entry).map(([name, port]) => {
      instanceUrls[name] = `http://${host}:${port}`;
      return instanceUrls[name];
    });
    urlLists[entry.name] = list.join(",");
  }

  const running = new Map<InstanceName, RunningService>();
  let stopping = false;
  const killAllNow = (): void => {
    for (const service of running.values()) signalGroup(service.child, "SIGKILL");
  };
  process.on("exit", killAllNow);

  const launch = async (service: RunningService): Promise<void> => {
    // A larger young generation: fewer scavenges of the short-lived objects of each request (~12 % CPU).
    const watch = options.watch ? ["--watch", "--watch-preserve-output"] : [];
    const child = spawn(
      process.execPath,
      [
        ...watch,
        "--max-semi-space-size=32",
        "--conditions=@instagram/source",
        "--import",
        "tsx",
        service.entry.main,
      ],
      {
        cwd: repositoryRoot,
        env: service.env,
        detached: true, // its own process group, so a kill reaches everything it started
        stdio: ["ignore", "pipe", "pipe"],
      },
    );
    service.child = child;
    service.output.length = 0;
    service.ending = false;
    service.startedAt = Date.now();
    service.exited = new Promise((done) => child.once("exit", () => done()));
    child.once("exit", (code, signal) => {
      if (options.supervise && !service.ending && !stopping) restartLater(service, code ?? signal);
    });
    const record = (chunk: Buffer): void => {
      for (const line of chunk.toString("utf8").split("\n")) {
        if (line === "") continue;
        service.output.push(line);
        if (options.echo) process.stderr.write(`[${service.name}] ${line}\n`);
      }
      service.output.splice(0, Math.max(0, service.output.length - outputLines));
    };
    child.stdout?.on("data", record);
    child.stderr?.on("data", record);
    await waitUntilReady(service, options.readyTimeoutMs ?? 60_000);
  };

  const restartLater = (service: RunningService, how: number | string | null): void => {
    if (Date.now() - service.startedAt >= restartDelayMs.healthyAfter) service.crashes = 0;
    service.crashes++;
    const delayMs = Math.min(restartDelayMs.first * 2 ** (service.crashes - 1), restartDelayMs.max);
    options.logger?.warn(
      { service: service.name, exit: how, crashes: service.crashes, restartInMs: delayMs },
      `${service.name} exited (${how}); restarting in ${delayMs} ms`,
    );
    service.restartTimer = setTimeout(() => {
      service.restartTimer = undefined;
      if (stopping) return;
      launch(service).then(
        () => options.logger?.info({ service: service.name }, `${service.name} restarted`),
        // A start that fails ends the process, whose exit schedules the next try.
        (error: unknown) =>
          options.logger?.error({ service: service.name, err: error }, `${service.name} did not come back`),
      );
    }, delayMs);
  };

  const stopService = async (service: RunningService, signal: NodeJS.Signals): Promise<void> => {
    clearTimeout(service.restartTimer);
    service.restartTimer = undefined;
    service.ending = true;
    const child = service.child;
    if (!child || child.exitCode !== null || child.signalCode !== null) return;
    // `node --watch` passes a signal on to the service it runs and waits for it: a signal to the
    // whole group would reach the service twice (its second signal means "exit at once").
    if (options.watch && signal !== "SIGKILL") child.kill(signal);
    else signalGroup(child, signal);
    const timedOut = await Promise.race([service.exited.then(() => false), sleep(10_000).then(() => true)]);
    if (timedOut) {
      signalGroup(child, "SIGKILL");
      await service.exited;
    }
  };

  const stop = async (): Promise<void> => {
    stopping = true;
    for (const service of [...running.values()].reverse()) await stopService(service, "SIGTERM");
    process.off("exit", killAllNow);
    if (ownDataDir) await rm(dataDir, { recursive: true, force: true });
  };

  const prepare = (entry: ServiceEntry, name: InstanceName, port: number): RunningService => {
    const service: RunningService = {
      entry,
      name,
      url: `http://${host}:${port}`,
      env: {
        ...process.env,
        ...options.env,
        ...serviceUrlVariables(urlLists),
        HOST: host,
        PORT: String(port),
        DATABASE_URL: options.databaseUrl,
        KAFKA_BROKERS: options.kafkaBrokers,
        DATA_DIR: dataDir,
        LOG_LEVEL: options.logLevel ?? "warn",
      },
      child: undefined,
      exited: Promise.resolve(),
      output: [],
      ending: false,
      crashes: 0,
      startedAt: 0,
      restartTimer: undefined,
    };
    running.set(name, service);
    return service;
  };

  try {
    for (const wave of startWaves()) {
      const outcomes = await Promise.allSettled(
        wave.flatMap((entry) =>
          instancePorts(entry).map(([name, port]) => launch(prepare(entry, name, port))),
        ),
      );
      const failure = outcomes.find((outcome) => outcome.status === "rejected");
      if (failure) throw failure.reason;
    }
  } catch (error) {
    await stop();
    throw error;
  }

  const find = (name: InstanceName): RunningService => {
    const service = running.get(name);
    if (!service) throw new Error(`no service "${name}" in this stack`);
    return service;
  };
  const gatewayUrl = urls.gateway;
  if (!gatewayUrl) throw new Error("the stack has no gateway");
  return {
    gatewayUrl,
    urls,
    instanceUrls,
    dataDir,
    output: (name) => find(name).output.join("\n"),
    kill: (name, signal = "SIGKILL") => stopService(find(name), signal),
    restart: async (name) => {
      const service = find(name);
      await stopService(service, "SIGTERM");
      await launch(service);
    },
    signal: (name, signal) => signalGroup(find(name).child, signal),
    pid: (name) => {
      const child = find(name).child;
      return child && child.exitCode === null && child.signalCode === null ? child.pid : undefined;
    },
    stop,
  };
}

async function waitUntilReady(service: RunningService, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let lastProblem = "no answer yet";
  while (Date.now() < deadline) {
    const child = service.child;
    if (child && (child.exitCode !== null || child.signalCode !== null)) {
      throw new Error(
        `${service.name} exited (${child.exitCode ?? child.signalCode}) before it was ready:\n${service.output.join("\n")}`,
      );
    }
    try {
      const response = await fetch(`${service.url}/readyz`, { signal: AbortSignal.timeout(2_000) });
      if (response.ok) return;
      lastProblem = `/readyz answered ${response.status}: ${await response.text()}`;
    } catch (error) {
      lastProblem = error instanceof Error ? error.message : String(error);
    }
    await sleep(250);
  }
  throw new Error(
    `${service.name} was not ready at ${service.url} within ${timeoutMs} ms (${lastProblem}):\n${service.output.join("\n")}`,
  );
}

function signalGroup(child: ChildProcess | undefined, signal: NodeJS.Signals): void {
  if (!child?.pid || child.exitCode !== null || child.signalCode !== null) return;
  try {
    process.kill(-child.pid, signal);
  } catch {
    // already gone
  }
}

function sleep(ms: number): Promise<void> {
  return new Promise((done) => setTimeout(done, ms));
}
