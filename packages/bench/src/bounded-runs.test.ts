import { describe, expect, it } from "vitest";
import { pollUntil, runBounded, sleep } from "./bounded-runs.ts";

describe("runBounded", () => {
  it("runs each index once, never more than `concurrency` at a time", async () => {
    let inFlight = 0;
    let most = 0;
    const seen: number[] = [];
    const outcome = await runBounded({ count: 20, concurrency: 3 }, async (index) => {
      inFlight++;
      most = Math.max(most, inFlight);
      await sleep(1);
      seen.push(index);
      inFlight--;
    });
    expect(outcome).toEqual({ completed: 20, stoppedByTime: false });
    expect(most).toBe(3);
    expect([...seen].sort((a, b) => a - b)).toEqual(Array.from({ length: 20 }, (_, i) => i));
  });

  it("starts nothing after the deadline", async () => {
    const deadline = Date.now() + 30;
    const outcome = await runBounded({ count: 1_000_000, concurrency: 2, deadline }, () => sleep(5));
    expect(outcome.stoppedByTime).toBe(true);
    expect(outcome.completed).toBeGreaterThan(0);
    expect(outcome.completed).toBeLessThan(100);
  });

  it("throws the first failure after the runs in flight have settled, and starts no more", async () => {
    let started = 0;
    let settled = 0;
    const run = runBounded({ count: 100, concurrency: 4 }, async (index) => {
      started++;
      await sleep(2);
      settled++;
      if (index === 5) throw new Error("run 5 failed");
    });
    await expect(run).rejects.toThrow("run 5 failed");
    expect(settled).toBe(started);
    expect(started).toBeLessThan(20);
  });
});

describe("pollUntil", () => {
  it("answers true as soon as the probe does", async () => {
    let calls = 0;
    expect(await pollUntil(async () => ++calls === 3, { timeoutMs: 1_000, intervalMs: 1 })).toBe(true);
    expect(calls).toBe(3);
  });

  it("gives up after the timeout", async () => {
    const started = Date.now();
    expect(await pollUntil(async () => false, { timeoutMs: 40, intervalMs: 5 })).toBe(false);
    expect(Date.now() - started).toBeGreaterThanOrEqual(40);
  });
});
