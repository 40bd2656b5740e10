import { describe, expect, it } from "vitest";
import { createSlidingWindow } from "./sliding-window.ts";

describe("sliding window", () => {
  it("keeps at most maxKeys keys, dropping the oldest", () => {
    let now = 0;
    const window = createSlidingWindow({ limit: 1, windowSeconds: 60, now: () => now, maxKeys: 2 });
    window.record("a");
    now += 1000;
    window.record("b");
    window.record("c");
    expect(window.retryAfterSeconds("a")).toBe(0);
    expect(window.retryAfterSeconds("b")).toBe(60);
    expect(window.retryAfterSeconds("c")).toBe(60);
  });

  it("sweeps expired keys before dropping live ones", () => {
    let now = 0;
    const window = createSlidingWindow({ limit: 1, windowSeconds: 1, now: () => now, maxKeys: 2 });
    window.record("old");
    now += 5000;
    window.record("a");
    window.record("b");
    expect(window.retryAfterSeconds("a")).toBe(1);
    expect(window.retryAfterSeconds("b")).toBe(1);
  });
});
