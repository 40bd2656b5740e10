import { describe, expect, it } from "vitest";
import { TooManyLoginAttempts } from "./errors.ts";
import { createLoginThrottle } from "./login-throttle.ts";

const t0 = new Date("2026-01-01T00:00:00Z");
const at = (seconds: number) => new Date(t0.getTime() + seconds * 1000);

function retryAfter(run: () => void): number | undefined {
  try {
    run();
    return undefined;
  } catch (error) {
    if (error instanceof TooManyLoginAttempts) return error.retryAfterSeconds;
    throw error;
  }
}

describe("login throttle", () => {
  it("locks a name after the maximum failures in the window and reopens as they age out", () => {
    const throttle = createLoginThrottle({ maxFailures: 3, windowSeconds: 60 });
    throttle.recordFailure("alice", at(0));
    throttle.recordFailure("alice", at(10));
    expect(retryAfter(() => throttle.check("alice", at(11)))).toBeUndefined();
    throttle.recordFailure("alice", at(20));
    expect(retryAfter(() => throttle.check("alice", at(30)))).toBe(30);
    expect(retryAfter(() => throttle.check("bob", at(30)))).toBeUndefined();
    // The failure at 0 leaves the window at 60: two remain, below the limit.
    expect(retryAfter(() => throttle.check("alice", at(60)))).toBeUndefined();
  });

  it("forgets failures after a successful login", () => {
    const throttle = createLoginThrottle({ maxFailures: 1, windowSeconds: 60 });
    throttle.recordFailure("alice", at(0));
    expect(retryAfter(() => throttle.check("alice", at(1)))).toBe(59);
    throttle.reset("alice");
    expect(retryAfter(() => throttle.check("alice", at(1)))).toBeUndefined();
  });

  it("tracks a bounded number of names", () => {
    const throttle = createLoginThrottle({ maxFailures: 1, windowSeconds: 60, maxTrackedNames: 2 });
    throttle.recordFailure("a", at(0));
    throttle.recordFailure("b", at(1));
    throttle.recordFailure("c", at(2));
    expect(retryAfter(() => throttle.check("a", at(3)))).toBeUndefined();
    expect(retryAfter(() => throttle.check("c", at(3)))).toBe(59);
  });
});
