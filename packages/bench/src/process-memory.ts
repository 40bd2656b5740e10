import { readdir, readFile, readlink } from "node:fs/promises";

/** Resident memory of a process in KiB: now (VmRSS) and its lifetime peak (VmHWM). */
export interface MemoryReading {
  rssKiB: number;
  hwmKiB: number;
}

/** Reads VmRSS and VmHWM out of the text of /proc/<pid>/status. */
export function parseProcStatus(text: string): MemoryReading {
  const field = (name: string): number => {
    const match = new RegExp(`^${name}:\\s+(\\d+)\\s+kB$`, "m").exec(text);
    if (!match) throw new Error(`no ${name} in /proc/<pid>/status`);
    return Number(match[1]);
  };
  return { rssKiB: field("VmRSS"), hwmKiB: field("VmHWM") };
}

export async function readMemory(pid: number): Promise<MemoryReading> {
  return parseProcStatus(await readFile(`/proc/${pid}/status`, "utf8"));
}

export interface MemoryTrace {
  pid: number;
  samples: number;
  /** Largest VmRSS seen by the sampler. */
  peakRssKiB: number;
  /** VmHWM at the first and the last sample: the kernel's own peak, spikes between samples included. */
  firstHwmKiB: number;
  lastHwmKiB: number;
  /** [ms since start, VmRSS KiB] — every sample, to plot or check. */
  series: [number, number][];
}

export interface MemorySampler {
  /** Milliseconds since sampling started: the clock of the traces' series. */
  elapsedMs(): number;
  /** Stops sampling; one trace per named process. */
  stop(): Promise<Record<string, MemoryTrace>>;
}

/**
 * Samples VmRSS/VmHWM of each process every `intervalMs` until stopped (bounded by `maxSamples`
 * so a forgotten sampler cannot grow without end). A process that has exited keeps its last values.
 */
export function sampleMemory(
  pids: Record<string, number>,
  opts: { intervalMs: number; maxSamples: number },
): MemorySampler {
  const started = performance.now();
  const traces: Record<string, MemoryTrace> = {};
  for (const [name, pid] of Object.entries(pids)) {
    traces[name] = { pid, samples: 0, peakRssKiB: 0, firstHwmKiB: 0, lastHwmKiB: 0, series: [] };
  }
  let stopped = false;
  let taken = 0;
  const sampleOnce = async (): Promise<void> => {
    const at = Math.round(performance.now() - started);
    await Promise.all(
      Object.values(traces).map(async (trace) => {
        const reading = await readMemory(trace.pid).catch(() => undefined);
        if (reading === undefined) return;
        if (trace.samples === 0) trace.firstHwmKiB = reading.hwmKiB;
        trace.samples++;
        trace.peakRssKiB = Math.max(trace.peakRssKiB, reading.rssKiB);
        trace.lastHwmKiB = reading.hwmKiB;
        trace.series.push([at, reading.rssKiB]);
      }),
    );
  };
  const loop = (async () => {
    while (!stopped && taken < opts.maxSamples) {
      taken++;
      const next = performance.now() + opts.intervalMs;
      await sampleOnce();
      await new Promise((done) => setTimeout(done, Math.max(0, next - performance.now())));
    }
  })();
  return {
    elapsedMs: () => performance.now() - started,
    async stop() {
      stopped = true;
      await loop;
      await sampleOnce(); // the state at the moment of stopping
      return traces;
    },
  };
}

/** Socket inodes listening on `port` (any address), read from the text of /proc/net/tcp or tcp6. */
export function listeningInodes(procNetTcp: string, port: number): string[] {
  const inodes: string[] = [];
  for (const line of procNetTcp.split("\n").slice(1)) {
    const columns = line.trim().split(/\s+/);
    const local = columns[1];
    const state = columns[3];
    const inode = columns[9];
    if (local === undefined || inode === undefined) continue;
    const localPort = Number.parseInt(local.slice(local.lastIndexOf(":") + 1), 16);
    if (state === "0A" && localPort === port) inodes.push(inode); // 0A = LISTEN
  }
  return inodes;
}

/**
 * The process listening on `port`: this process or one of its descendants (the stack's launcher
 * does not hand out the pids of the processes it starts), or with `anyProcess` any process this
 * user may inspect (a PostgreSQL or Kafka started by someone else). Undefined when none is found.
 */
export async function listenerPid(
  port: number,
  opts: { anyProcess?: boolean } = {},
): Promise<number | undefined> {
  const tables = await Promise.all(
    ["/proc/net/tcp", "/proc/net/tcp6"].map((path) => readFile(path, "utf8").catch(() => "")),
  );
  const wanted = new Set(
    tables.flatMap((table) => listeningInodes(table, port)).map((inode) => `socket:[${inode}]`),
  );
  if (wanted.size === 0) return undefined;
  const candidates = opts.anyProcess
    ? (await readdir("/proc")).filter((entry) => /^\d+$/.test(entry)).map(Number)
    : [process.pid, ...(await descendantsOf(process.pid))];
  for (const pid of candidates) {
    const fds = await readdir(`/proc/${pid}/fd`).catch(() => [] as string[]);
    for (const fd of fds) {
      const target = await readlink(`/proc/${pid}/fd/${fd}`).catch(() => "");
      if (wanted.has(target)) return pid;
    }
  }
  return undefined;
}

async function descendantsOf(root: number): Promise<number[]> {
  const parents = new Map<number, number>();
  for (const entry of await readdir("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    const stat = await readFile(`/proc/${entry}/stat`, "utf8").catch(() => "");
    // pid (comm) state ppid …; comm may hold spaces and parentheses, so read after the last ")".
    const ppid = Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[1]);
    if (Number.isInteger(ppid)) parents.set(Number(entry), ppid);
  }
  const found: number[] = [];
  const frontier = [root];
  while (frontier.length > 0) {
    const parent = frontier.pop() as number;
    for (const [pid, ppid] of parents) {
      if (ppid === parent && !found.includes(pid)) {
        found.push(pid);
        frontier.push(pid);
      }
    }
  }
  return found;
}
