import { describe, expect, it, vi } from "vitest";
import type { EventEnvelope } from "./envelope.ts";
import { createInProcessBus } from "./in-process-bus.ts";

function envelope(topic: string, aggregateId: string, n: number): EventEnvelope {
  return {
    id: `${aggregateId}-${n}`,
    topic,
    type: "CREATED",
    aggregateId,
    occurredAt: new Date(),
    payload: new Uint8Array([n]),
    headers: {},
  };
}

describe("in-process bus", () => {
  it("delivers every event once to every group, in order, after send resolves", async () => {
    const bus = createInProcessBus();
    const seen: Record<string, string[]> = { a: [], b: [] };
    await bus.subscribe({ group: "a", topics: ["users"], handle: async (e) => void seen.a?.push(e.id) });
    await bus.subscribe({ group: "b", topics: ["users"], handle: async (e) => void seen.b?.push(e.id) });
    await bus.send([envelope("users", "u1", 1), envelope("users", "u2", 1), envelope("users", "u1", 2)]);
    expect(seen.a).toEqual([]);
    await vi.waitFor(() => expect(seen.b).toHaveLength(3));
    await vi.waitFor(() => expect(seen.a).toHaveLength(3));
    expect(seen.a).toEqual(["u1-1", "u2-1", "u1-2"]);
    expect(seen.b).toEqual(["u1-1", "u2-1", "u1-2"]);
    await bus.close();
  });

  it("gives a group that subscribes later what was sent before (fromBeginning)", async () => {
    const bus = createInProcessBus();
    await bus.send([envelope("images", "i1", 1), envelope("users", "u1", 1)]);
    const seen: string[] = [];
    await bus.subscribe({ group: "late", topics: ["images"], handle: async (e) => void seen.push(e.id) });
    await vi.waitFor(() => expect(seen).toEqual(["i1-1"]));
    await bus.close();
  });

  it("continues a re-subscribed group from its offset, without repeats", async () => {
    const bus = createInProcessBus();
    const seen: string[] = [];
    const first = await bus.subscribe({
      group: "g",
      topics: ["users"],
      handle: async (e) => void seen.push(e.id),
    });
    await bus.send([envelope("users", "u1", 1)]);
    await vi.waitFor(() => expect(seen).toEqual(["u1-1"]));
    await first.close();
    await bus.send([envelope("users", "u1", 2)]);
    await bus.subscribe({ group: "g", topics: ["users"], handle: async (e) => void seen.push(e.id) });
    await vi.waitFor(() => expect(seen).toEqual(["u1-1", "u1-2"]));
    await bus.close();
  });

  it("redelivers an event whose handler threw, before any later event", async () => {
    const bus = createInProcessBus();
    const seen: string[] = [];
    let failuresLeft = 2;
    await bus.subscribe({
      group: "g",
      topics: ["users"],
      handle: async (e) => {
        if (e.id === "u1-1" && failuresLeft-- > 0) throw new Error("not yet");
        seen.push(e.id);
      },
    });
    await bus.send([envelope("users", "u1", 1), envelope("users", "u1", 2)]);
    await vi.waitFor(() => expect(seen).toEqual(["u1-1", "u1-2"]), { timeout: 3000 });
    expect(failuresLeft).toBeLessThan(0);
    await bus.close();
  });

  it("keeps only the last events of a topic for groups that come later", async () => {
    const bus = createInProcessBus({ retainedEventsPerTopic: 2 });
    await bus.send([1, 2, 3].map((n) => envelope("users", "u1", n)));
    const seen: string[] = [];
    await bus.subscribe({ group: "late", topics: ["users"], handle: async (e) => void seen.push(e.id) });
    await vi.waitFor(() => expect(seen).toEqual(["u1-2", "u1-3"]));
    await bus.close();
  });

  it("refuses to send after close", async () => {
    const bus = createInProcessBus();
    await bus.ping();
    await bus.close();
    await expect(bus.send([envelope("users", "u1", 1)])).rejects.toThrow(/closed/);
    await expect(bus.ping()).rejects.toThrow(/closed/);
  });
});
