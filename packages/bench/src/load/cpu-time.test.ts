import { describe, expect, it } from "vitest";
import {
  addTicks,
  type CpuReading,
  cpuMsPerRequest,
  type ProcessTicks,
  parseProcStat,
  readCpu,
  treeTicks,
} from "./cpu-time.ts";

// A real line of /proc/<pid>/stat, with a command name holding a space and parentheses.
const statLine =
  "4242 (postgres: (bench) x) S 4000 4000 4000 0 -1 4194560 1523 0 0 0 1700 300 25 5 20 0 1 0 889911 232726528 4018 18446744073709551615 1 1 0 0 0 0 0 4096 0 0 0 0 17 1 0 0 0 0 0";

describe("parseProcStat", () => {
  it("reads ppid, utime + stime and the reaped children's time after the command name", () => {
    expect(parseProcStat(statLine)).toEqual({ ppid: 4000, own: 2000, reapedChildren: 30 });
  });

  it("refuses text that is not a stat line", () => {
    expect(() => parseProcStat("nonsense")).toThrow(/field/);
  });
});

describe("treeTicks", () => {
  const table = new Map<number, ProcessTicks>([
    [1, { ppid: 0, own: 5, reapedChildren: 0 }],
    [10, { ppid: 1, own: 100, reapedChildren: 40 }], // postmaster: 40 ticks of ended backends
    [11, { ppid: 10, own: 7, reapedChildren: 0 }],
    [12, { ppid: 10, own: 3, reapedChildren: 0 }],
    [13, { ppid: 12, own: 1, reapedChildren: 99 }], // a grandchild's reaped time is not counted twice
    [20, { ppid: 1, own: 1000, reapedChildren: 0 }],
  ]);

  it("adds the root, every live descendant and the root's reaped children", () => {
    expect(treeTicks(table, 10)).toBe(100 + 7 + 3 + 1 + 40);
    expect(treeTicks(table, 20)).toBe(1000);
  });

  it("is NaN for a process that is gone", () => {
    expect(treeTicks(table, 99)).toBeNaN();
  });
});

describe("CPU per request", () => {
  it("adds the ticks of several rounds and divides by the requests served", () => {
    const reading = (gateway: number, postgres: number): CpuReading => ({ ticks: { gateway, postgres } });
    const spent: Record<string, number> = {};
    addTicks(spent, reading(100, 50), reading(300, 70)); // round 1: 200 and 20 ticks
    addTicks(spent, reading(500, 70), reading(600, 100)); // round 2: 100 and 30 ticks
    expect(spent).toEqual({ gateway: 300, postgres: 50 });
    // 300 ticks at 100 Hz = 3 s = 3000 ms over 1000 requests.
    expect(cpuMsPerRequest(spent, 1000, 100)).toEqual({ gateway: 3, postgres: 0.5 });
    expect(cpuMsPerRequest(spent, 0, 100).gateway).toBeNaN();
  });

  it("reads this process's own tree from /proc", async () => {
    const before = await readCpu({ self: process.pid });
    const until = performance.now() + 60;
    while (performance.now() < until) Math.sqrt(Math.random()); // burn a few ticks
    const after = await readCpu({ self: process.pid });
    expect(after.ticks.self).toBeGreaterThan(before.ticks.self as number);
  });
});
