import { availableParallelism, cpus, loadavg, totalmem } from "node:os";

export interface MachineInfo {
  cores: number;
  cpuModel: string;
  totalMemoryMiB: number;
  node: string;
  platform: string;
  arch: string;
}

export function describeMachine(): MachineInfo {
  return {
    cores: availableParallelism(),
    cpuModel: cpus()[0]?.model ?? "unknown",
    totalMemoryMiB: Math.round(totalmem() / 1024 / 1024),
    node: process.version,
    platform: process.platform,
    arch: process.arch,
  };
}

/** 1, 5 and 15 minute load averages. */
export function loadAverage(): [number, number, number] {
  const [one = 0, five = 0, fifteen = 0] = loadavg();
  return [round2(one), round2(five), round2(fifteen)];
}

function round2(value: number): number {
  return Math.round(value * 100) / 100;
}

/** A file-name-safe name of the machine: "2c-intel-xeon-platinum-8375c". */
export function machineSlug(machine: MachineInfo): string {
  const model = machine.cpuModel
    .toLowerCase()
    .replace(/\((r|tm)\)|cpu|@.*$|processor/g, " ")
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-+|-+$/g, "")
    .slice(0, 40)
    .replace(/-+$/, "");
  return `${machine.cores}c-${model || "unknown"}`;
}
