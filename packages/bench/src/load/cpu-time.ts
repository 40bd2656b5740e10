import { execFile } from "node:child_process";
import { readdir, readFile } from "node:fs/promises";
import { promisify } from "node:util";

/** CPU clock ticks of one process, read from /proc/<pid>/stat. */
export interface ProcessTicks {
  ppid: number;
  /** utime + stime: this process's own user and system time. */
  own: number;
  /** cutime + cstime: the time of children it has waited for (postgres backends that ended). */
  reapedChildren: number;
}

/**
 * Reads the text of /proc/<pid>/stat. The command name (field 2) may hold spaces and parentheses,
 * so the fields are counted from after its last ")": state is field 3, ppid 4, utime 14, stime 15,
 * cutime 16, cstime 17.
 */
export function parseProcStat(text: string): ProcessTicks {
  const fields = text
    .slice(text.lastIndexOf(")") + 2)
    .trim()
    .split(/\s+/);
  const field = (number: number): number => {
    const value = Number(fields[number - 3]);
    if (!Number.isFinite(value)) throw new Error(`no field ${number} in /proc/<pid>/stat`);
    return value;
  };
  return { ppid: field(4), own: field(14) + field(15), reapedChildren: field(16) + field(17) };
}

const run = promisify(execFile);
let ticksPerSecond: Promise<number> | undefined;

/** The kernel's USER_HZ (`getconf CLK_TCK`), 100 when it cannot be asked. */
export function clockTicksPerSecond(): Promise<number> {
  ticksPerSecond ??= run("getconf", ["CLK_TCK"])
    .then(({ stdout }) => Number(stdout.trim()) || 100)
    .catch(() => 100);
  return ticksPerSecond;
}

/** Every process's ticks, by pid (processes that end while being read are left out). */
async function allProcessTicks(): Promise<Map<number, ProcessTicks>> {
  const entries = (await readdir("/proc")).filter((entry) => /^\d+$/.test(entry));
  const table = new Map<number, ProcessTicks>();
  await Promise.all(
    entries.map(async (entry) => {
      const text = await readFile(`/proc/${entry}/stat`, "utf8").catch(() => "");
      if (text !== "") table.set(Number(entry), parseProcStat(text));
    }),
  );
  return table;
}

/**
 * Ticks of a process tree: the root and every live descendant, plus the root's reaped children.
 * A postgres backend that ends between two readings moves from "live descendant" to the
 * postmaster's reaped children, so the difference of two readings keeps its time.
 */
export function treeTicks(table: ReadonlyMap<number, ProcessTicks>, root: number): number {
  const rootTicks = table.get(root);
  if (rootTicks === undefined) return Number.NaN;
  const children = new Map<number, number[]>();
  for (const [pid, ticks] of table) {
    const siblings = children.get(ticks.ppid);
    if (siblings) siblings.push(pid);
    else children.set(ticks.ppid, [pid]);
  }
  let total = rootTicks.reapedChildren;
  const frontier = [root];
  const seen = new Set<number>();
  while (frontier.length > 0) {
    const pid = frontier.pop() as number;
    if (seen.has(pid)) continue;
    seen.add(pid);
    total += table.get(pid)?.own ?? 0;
    frontier.push(...(children.get(pid) ?? []));
  }
  return total;
}

/** Named process trees to account for, e.g. { gateway: 1234, postgres: 99 }. */
export type CpuRoots = Record<string, number>;

export interface CpuReading {
  ticks: Record<string, number>;
}

export async function readCpu(roots: CpuRoots): Promise<CpuReading> {
  const table = await allProcessTicks();
  const ticks: Record<string, number> = {};
  for (const [name, pid] of Object.entries(roots)) ticks[name] = treeTicks(table, pid);
  return { ticks };
}

/** Ticks each tree spent between two readings, added onto `into` (rounds of one side add up). */
export function addTicks(into: Record<string, number>, before: CpuReading, after: CpuReading): void {
  for (const [name, start] of Object.entries(before.ticks)) {
    into[name] = (into[name] ?? 0) + ((after.ticks[name] ?? Number.NaN) - start);
  }
}

/** Ticks → CPU milliseconds per request served. */
export function cpuMsPerRequest(
  ticks: Record<string, number>,
  requests: number,
  hz: number,
): Record<string, number> {
  const perRequest: Record<string, number> = {};
  for (const [name, spent] of Object.entries(ticks)) {
    perRequest[name] = requests > 0 ? ((spent / hz) * 1000) / requests : Number.NaN;
  }
  return perRequest;
}
