import { describe, expect, it } from "vitest";
import { feedHorizon } from "./feed-horizon.ts";

describe("feedHorizon", () => {
  it("keeps entries a day longer than readers trust them", () => {
    const now = new Date("2026-03-31T12:00:00Z");
    const horizon = feedHorizon(30);
    expect(horizon.readFrom(now).toISOString()).toBe("2026-03-01T12:00:00.000Z");
    expect(horizon.keepFrom(now).toISOString()).toBe("2026-02-28T12:00:00.000Z");
  });
});
