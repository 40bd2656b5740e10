import pino from "pino";
import { describe, expect, it, vi } from "vitest";
import { IDEMPOTENCY_KEY_RETENTION_MS } from "./idempotency-key.ts";
import { idempotencyKeysForgottenTotal, startIdempotencyKeySweep } from "./key-sweep.ts";

/** Keyed rows as a service keeps them: when each was made, and its key until forgotten. */
function keyedRows(made: Date[]) {
  const rows = made.map((createdAt, index) => ({ createdAt, key: `k-${index}` as string | null }));
  const calls: { before: Date; limit: number }[] = [];
  async function forget(before: Date, limit: number): Promise<number> {
    calls.push({ before, limit });
    const expired = rows.filter((row) => row.key !== null && row.createdAt < before).slice(0, limit);
    for (const row of expired) row.key = null;
    return expired.length;
  }
  return { rows, calls, forget };
}

const counted = async () =>
  (await idempotencyKeysForgottenTotal.get()).values.find((value) => value.labels.service === "test")
    ?.value ?? 0;

describe("the idempotency key sweep", () => {
  it("forgets, in batches, the keys older than 24 h and keeps the younger ones", async () => {
    const now = new Date("2026-06-01T12:00:00.000Z");
    const old = new Date(now.getTime() - IDEMPOTENCY_KEY_RETENTION_MS - 60_000);
    const young = new Date(now.getTime() - IDEMPOTENCY_KEY_RETENTION_MS + 60_000);
    const table = keyedRows([...Array.from({ length: 25 }, () => old), young, young]);
    const before = await counted();
    const sweep = startIdempotencyKeySweep({
      service: "test",
      forget: table.forget,
      logger: pino({ level: "silent" }),
      batchSize: 10,
      now: () => now,
    });
    await vi.waitFor(async () => expect((await counted()) - before).toBe(25));
    // 10 + 10 + 5: a short batch ends the sweep.
    expect(table.calls.map((call) => call.limit)).toEqual([10, 10, 10]);
    expect(table.calls[0]?.before).toEqual(new Date(now.getTime() - IDEMPOTENCY_KEY_RETENTION_MS));
    expect(table.rows.filter((row) => row.key !== null)).toHaveLength(2);
    expect(await sweep.sweep()).toBe(0);
    await sweep.stop();
  });

  it("logs a failed sweep and tries again at the next period", async () => {
    let failures = 0;
    const table = keyedRows([new Date(0)]);
    const sweep = startIdempotencyKeySweep({
      service: "test",
      forget: async (before, limit) => {
        if (failures++ === 0) throw new Error("database away");
        return table.forget(before, limit);
      },
      logger: pino({ level: "silent" }),
      everyMs: 20,
    });
    await vi.waitFor(() => expect(table.rows[0]?.key).toBeNull());
    await sweep.stop();
  });
});
