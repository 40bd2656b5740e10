import { describe, expect, it } from "vitest";
import { machineSlug } from "./machine.ts";

describe("machineSlug", () => {
  it("names a machine by cores and CPU model, safe for a file name", () => {
    const machine = { cores: 2, totalMemoryMiB: 1, node: "v24", platform: "linux", arch: "x64" };
    expect(machineSlug({ ...machine, cpuModel: "Intel(R) Xeon(R) Platinum 8375C CPU @ 2.90GHz" })).toBe(
      "2c-intel-xeon-platinum-8375c",
    );
    expect(machineSlug({ ...machine, cpuModel: "AMD EPYC" })).toBe("2c-amd-epyc");
    expect(machineSlug({ ...machine, cpuModel: "" })).toBe("2c-unknown");
  });
});
