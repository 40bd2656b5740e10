import { describe, expect, it } from "vitest";
import { accountKey, createLoginThrottle, type LoginThrottle } from "./login-throttle.ts";

function clock(start = 1_000_000) {
  let now = start;
  return {
    now: () => now,
    advance(seconds: number) {
      now += seconds * 1000;
    },
  };
}

function throttle(time: { now: () => number }): LoginThrottle {
  return createLoginThrottle(
    { account: { maxFailures: 3, windowSeconds: 60 }, client: { maxAttempts: 5, windowSeconds: 10 } },
    time.now,
  );
}

describe("login throttle", () => {
  it("locks an account after its failures fill the window, whatever the client", () => {
    const time = clock();
    const limits = throttle(time);
    for (let i = 0; i < 3; i++) {
      expect(limits.admit({ loginName: "alice", client: `10.0.0.${i}` })).toEqual({ admitted: true });
      limits.recordFailure("alice");
      time.advance(1);
    }
    expect(limits.admit({ loginName: "alice", client: "10.9.9.9" })).toEqual({
      admitted: false,
      retryAfterSeconds: 57,
    });
    expect(limits.admit({ loginName: "bob", client: "10.9.9.9" })).toEqual({ admitted: true });
  });

  it("treats account names case- and space-insensitively", () => {
    const time = clock();
    const limits = throttle(time);
    for (const name of ["Alice", " ALICE ", "alice"]) limits.recordFailure(name);
    expect(limits.admit({ loginName: "aLiCe", client: undefined }).admitted).toBe(false);
    expect(accountKey("  Bob@Example.COM ")).toBe("bob@example.com");
  });

  it("unlocks an account when the oldest failure leaves the window", () => {
    const time = clock();
    const limits = throttle(time);
    limits.recordFailure("alice");
    time.advance(30);
    limits.recordFailure("alice");
    limits.recordFailure("alice");
    expect(limits.admit({ loginName: "alice", client: undefined })).toEqual({
      admitted: false,
      retryAfterSeconds: 30,
    });
    time.advance(30);
    expect(limits.admit({ loginName: "alice", client: undefined })).toEqual({ admitted: true });
  });

  it("forgets an account's failures after a successful login", () => {
    const time = clock();
    const limits = throttle(time);
    limits.recordFailure("alice");
    limits.recordFailure("alice");
    limits.recordSuccess("alice");
    limits.recordFailure("alice");
    limits.recordFailure("alice");
    expect(limits.admit({ loginName: "alice", client: undefined }).admitted).toBe(true);
  });

  it("limits every attempt from one client, successful or not", () => {
    const time = clock();
    const limits = throttle(time);
    for (let i = 0; i < 5; i++) {
      expect(limits.admit({ loginName: `user${i}`, client: "10.0.0.1" }).admitted).toBe(true);
      limits.recordSuccess(`user${i}`);
    }
    expect(limits.admit({ loginName: "user9", client: "10.0.0.1" })).toEqual({
      admitted: false,
      retryAfterSeconds: 10,
    });
    expect(limits.admit({ loginName: "user9", client: "10.0.0.2" }).admitted).toBe(true);
    time.advance(10);
    expect(limits.admit({ loginName: "user9", client: "10.0.0.1" }).admitted).toBe(true);
  });

  it("does not count refused attempts against the client", () => {
    const time = clock();
    const limits = throttle(time);
    for (let i = 0; i < 3; i++) limits.recordFailure("alice");
    for (let i = 0; i < 10; i++) limits.admit({ loginName: "alice", client: "10.0.0.1" });
    expect(limits.admit({ loginName: "bob", client: "10.0.0.1" }).admitted).toBe(true);
  });
});

describe("login throttle without a client limit", () => {
  it("limits failures per account only, tracking a bounded number of names", () => {
    const time = clock();
    const limits = createLoginThrottle(
      { account: { maxFailures: 1, windowSeconds: 60 }, maxTrackedKeys: 2 },
      time.now,
    );
    for (let i = 0; i < 10; i++)
      expect(limits.admit({ loginName: `user${i}`, client: "10.0.0.1" }).admitted).toBe(true);
    limits.recordFailure("a");
    time.advance(1);
    limits.recordFailure("b");
    limits.recordFailure("c");
    expect(limits.admit({ loginName: "a" }).admitted).toBe(true);
    expect(limits.admit({ loginName: "c" })).toEqual({ admitted: false, retryAfterSeconds: 60 });
  });
});
