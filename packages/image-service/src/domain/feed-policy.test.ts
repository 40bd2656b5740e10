import { describe, expect, it } from "vitest";
import { feedPolicy, isFannedOut } from "./feed-policy.ts";

describe("feedPolicy", () => {
  it("keeps entries a day longer than readers trust them", () => {
    const now = new Date("2026-03-31T12:00:00Z");
    const policy = feedPolicy({ timelineDays: 30, fanOutLimit: 1000 });
    expect(policy.readFrom(now).toISOString()).toBe("2026-03-01T12:00:00.000Z");
    expect(policy.keepFrom(now).toISOString()).toBe("2026-02-28T12:00:00.000Z");
  });

  it("fans out an image made before its owner stopped fanning out, and not after", () => {
    const stopped = new Date("2026-03-01T00:00:00Z");
    expect(isFannedOut(new Date("2026-02-28T00:00:00Z"), null)).toBe(true);
    expect(isFannedOut(stopped, stopped)).toBe(true);
    expect(isFannedOut(new Date("2026-03-01T00:00:01Z"), stopped)).toBe(false);
  });
});
