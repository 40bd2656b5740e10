import { describe, expect, it } from "vitest";
import { percentile, ratio, summarize, throughput } from "./stats.ts";

describe("percentile", () => {
  it("interpolates between the nearest ranks", () => {
    expect(percentile([1, 2, 3, 4], 50)).toBe(2.5);
    expect(percentile([10, 20, 30, 40, 50], 25)).toBe(20);
    expect(percentile([0, 100], 95)).toBeCloseTo(95);
  });

  it("gives the extremes at 0 and 100 and the only sample for one sample", () => {
    const sorted = [3, 7, 9, 40];
    expect(percentile(sorted, 0)).toBe(3);
    expect(percentile(sorted, 100)).toBe(40);
    expect(percentile([42], 99)).toBe(42);
  });

  it("is NaN without samples and refuses a p outside 0..100", () => {
    expect(percentile([], 50)).toBeNaN();
    expect(() => percentile([1], 101)).toThrow(RangeError);
    expect(() => percentile([1], -1)).toThrow(RangeError);
    expect(() => percentile([1], Number.NaN)).toThrow(RangeError);
  });
});

describe("summarize", () => {
  it("sorts a copy and describes the samples", () => {
    const samples = Array.from({ length: 100 }, (_, i) => 100 - i); // 100 … 1, unsorted
    const summary = summarize(samples);
    expect(summary).toMatchObject({ count: 100, min: 1, max: 100, mean: 50.5 });
    expect(summary.p50).toBeCloseTo(50.5);
    expect(summary.p95).toBeCloseTo(95.05);
    expect(summary.p99).toBeCloseTo(99.01);
    expect(samples[0]).toBe(100); // the input is left alone
  });

  it("ignores samples that are not finite numbers", () => {
    expect(summarize([5, Number.NaN, Number.POSITIVE_INFINITY, 1])).toMatchObject({
      count: 2,
      min: 1,
      max: 5,
    });
  });

  it("describes nothing with NaN and a zero count", () => {
    const summary = summarize([]);
    expect(summary.count).toBe(0);
    expect(summary.p50).toBeNaN();
    expect(summary.mean).toBeNaN();
  });

  it("keeps a single slow outlier out of p50 but in p99 and max", () => {
    const summary = summarize([...Array.from({ length: 99 }, () => 10), 1000]);
    expect(summary.p50).toBe(10);
    expect(summary.p99).toBeCloseTo(19.9);
    expect(summary.max).toBe(1000);
  });
});

describe("ratio and throughput", () => {
  it("divides the system's number by the baseline's", () => {
    expect(ratio(30, 10)).toBe(3);
    expect(ratio(5, 0)).toBeNaN();
    expect(ratio(Number.NaN, 2)).toBeNaN();
  });

  it("counts operations per second", () => {
    expect(throughput(500, 2000)).toBe(250);
    expect(throughput(10, 0)).toBeNaN();
  });
});
