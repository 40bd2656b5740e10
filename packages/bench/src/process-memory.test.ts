import { spawn } from "node:child_process";
import { once } from "node:events";
import { createServer } from "node:net";
import { describe, expect, it } from "vitest";
import { listenerPid, listeningInodes, parseProcStatus, readMemory, sampleMemory } from "./process-memory.ts";

const status = `Name:\tnode
VmPeak:\t 1234567 kB
VmHWM:\t  204800 kB
VmRSS:\t  102400 kB
RssAnon:\t   90000 kB
`;

const tcp = `  sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode
   0: 0100007F:1F90 00000000:0000 0A 00000000:00000000 00:00000000 00000000  1000        0 4242 1 0000000000000000 100 0 0 10 0
   1: 0100007F:1F90 0100007F:D431 01 00000000:00000000 00:00000000 00000000  1000        0 4343 1 0000000000000000 20 4 30 10 -1
   2: 00000000:1F91 00000000:0000 0A 00000000:00000000 00:00000000 00000000  1000        0 4444 1 0000000000000000 100 0 0 10 0
`;

describe("/proc parsing", () => {
  it("reads VmRSS and VmHWM, not VmPeak or RssAnon", () => {
    expect(parseProcStatus(status)).toEqual({ rssKiB: 102400, hwmKiB: 204800 });
    expect(() => parseProcStatus("Name:\tnode\n")).toThrow(/VmRSS/);
  });

  it("finds only the listening sockets of a port", () => {
    expect(listeningInodes(tcp, 8080)).toEqual(["4242"]);
    expect(listeningInodes(tcp, 8081)).toEqual(["4444"]);
    expect(listeningInodes(tcp, 9999)).toEqual([]);
  });
});

describe("live processes", () => {
  it("reads this process's memory", async () => {
    const reading = await readMemory(process.pid);
    expect(reading.rssKiB).toBeGreaterThan(1024);
    expect(reading.hwmKiB).toBeGreaterThanOrEqual(reading.rssKiB);
  });

  it("tells which process listens on a port: this one, or a child", async () => {
    const server = createServer();
    server.listen(0, "127.0.0.1");
    await once(server, "listening");
    const address = server.address();
    if (address === null || typeof address === "string") throw new Error("no port");
    expect(await listenerPid(address.port)).toBe(process.pid);
    server.close();

    const child = spawn(
      process.execPath,
      [
        "-e",
        "require('net').createServer().listen(0,'127.0.0.1',function(){console.log(this.address().port)})",
      ],
      { stdio: ["ignore", "pipe", "inherit"] },
    );
    try {
      const [line] = (await once(child.stdout, "data")) as [Buffer];
      expect(await listenerPid(Number(line.toString().trim()))).toBe(child.pid);
    } finally {
      child.kill("SIGKILL");
    }
  });

  it("samples a growing process and keeps its peak", async () => {
    const before = await readMemory(process.pid);
    const sampler = sampleMemory({ self: process.pid }, { intervalMs: 5, maxSamples: 1000 });
    // Generous waits: on a loaded machine a 5 ms timer may fire a few times a second only.
    await new Promise((done) => setTimeout(done, 200));
    const ballast = Buffer.alloc(64 * 1024 * 1024, 1); // touched pages count in RSS
    await new Promise((done) => setTimeout(done, 300));
    const { self } = await sampler.stop();
    expect(ballast[ballast.length - 1]).toBe(1);
    expect(self?.samples).toBeGreaterThan(2);
    expect(self?.peakRssKiB).toBeGreaterThan(before.rssKiB + 32 * 1024);
    // The kernel syncs per-thread RSS counters into VmHWM lazily (tens of KiB behind at times).
    expect(self?.lastHwmKiB).toBeGreaterThanOrEqual((self?.peakRssKiB ?? Number.POSITIVE_INFINITY) - 1024);
  });
});
