import type { EventBus, EventEnvelope } from "../events/envelope.ts";

/** What a bus carried on some topics, as a consumer group of its own received it. */
export interface BusRecording {
  /** Every event received so far, in arrival order. */
  events: EventEnvelope[];
  close(): Promise<void>;
}

/** Starts recording what the bus carries on `topics` (a group of its own: it sees every event). */
export async function recordBus(
  bus: EventBus,
  topics: string[],
  group = "bus-recording",
): Promise<BusRecording> {
  const events: EventEnvelope[] = [];
  const subscription = await bus.subscribe({
    group,
    topics,
    handle: async (event) => {
      events.push(event);
    },
  });
  return { events, close: () => subscription.close() };
}
