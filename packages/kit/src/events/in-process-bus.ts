import type { Logger } from "pino";
import type { EventBus, EventEnvelope, Subscription, SubscriptionSpec } from "./envelope.ts";
import { backoffMs, createPause } from "./pause.ts";

interface TopicLog {
  /** Offset of events[0]; older events were trimmed. */
  base: number;
  events: EventEnvelope[];
  readers: GroupReader[];
}

interface Member {
  handle(event: EventEnvelope): Promise<void>;
  inFlight: Promise<unknown> | undefined;
}

/** One consumer group reading one topic: its offset survives its members (like Kafka's). */
interface GroupReader {
  group: string;
  topic: string;
  offset: number;
  members: Member[];
  pumping: boolean;
}

const DEFAULT_RETAINED_EVENTS = 10_000;

/**
 * The embedded mode's bus. Every event sent is delivered once to every group subscribed to its
 * topic, asynchronously (after send resolves) and in order per group and topic. Each topic keeps
 * its last `retainedEventsPerTopic` events, so a group that subscribes later still sees what was
 * sent before (Kafka's fromBeginning). A handler that throws gets the event again, with backoff.
 */
export function createInProcessBus(opts?: { logger?: Logger; retainedEventsPerTopic?: number }): EventBus {
  const logger = opts?.logger;
  const retained = opts?.retainedEventsPerTopic ?? DEFAULT_RETAINED_EVENTS;
  const topics = new Map<string, TopicLog>();
  const readers = new Map<string, GroupReader>();
  const pause = createPause();
  const pumps = new Set<Promise<void>>();
  let closed = false;

  function topicLog(topic: string): TopicLog {
    let log = topics.get(topic);
    if (log === undefined) {
      log = { base: 0, events: [], readers: [] };
      topics.set(topic, log);
    }
    return log;
  }

  function readerFor(group: string, topic: string): GroupReader {
    const key = `${group}\u0000${topic}`;
    let reader = readers.get(key);
    if (reader === undefined) {
      const log = topicLog(topic);
      reader = { group, topic, offset: log.base, members: [], pumping: false };
      readers.set(key, reader);
      log.readers.push(reader);
    }
    return reader;
  }

  function schedule(reader: GroupReader): void {
    if (reader.pumping || closed) return;
    reader.pumping = true;
    const pump = new Promise<void>((resolve) => setTimeout(resolve, 0))
      .then(() => drain(reader))
      .finally(() => {
        reader.pumping = false;
        pumps.delete(pump);
        // An event sent while this pump was finishing would otherwise wait for the next send.
        if (reader.members.length > 0 && reader.offset < logEnd(topicLog(reader.topic))) {
          schedule(reader);
        }
      });
    pumps.add(pump);
  }

  async function drain(reader: GroupReader): Promise<void> {
    const log = topicLog(reader.topic);
    let failures = 0;
    while (!closed && reader.members.length > 0) {
      if (reader.offset < log.base) {
        logger?.warn(
          { group: reader.group, topic: reader.topic, lost: log.base - reader.offset },
          "in-process bus: events trimmed before this group read them",
        );
        reader.offset = log.base;
      }
      const event = log.events[reader.offset - log.base];
      if (event === undefined) return;
      const member = reader.members[keySlot(event.aggregateId, reader.members.length)];
      if (member === undefined) return;
      const attempt = member.handle(event);
      member.inFlight = attempt.catch(() => {});
      try {
        await attempt;
        reader.offset++;
        failures = 0;
      } catch (error) {
        failures++;
        // A member that left mid-delivery (a consumer stopping) is not worth a warning.
        if (reader.members.includes(member))
          logger?.warn(
            { err: error, group: reader.group, topic: reader.topic, eventId: event.id },
            "in-process bus: handler failed, redelivering",
          );
        await pause.sleep(backoffMs(failures, 100, 5_000));
      } finally {
        member.inFlight = undefined;
      }
    }
  }

  return {
    async send(events) {
      if (closed) throw new Error("in-process bus is closed");
      const touched = new Set<TopicLog>();
      for (const event of events) {
        const log = topicLog(event.topic);
        log.events.push(event);
        touched.add(log);
      }
      for (const log of touched) {
        const excess = log.events.length - retained;
        if (excess > 0) {
          log.events.splice(0, excess);
          log.base += excess;
        }
        for (const reader of log.readers) schedule(reader);
      }
    },

    async subscribe(spec: SubscriptionSpec): Promise<Subscription> {
      if (closed) throw new Error("in-process bus is closed");
      const member: Member = { handle: spec.handle, inFlight: undefined };
      const joined = [...new Set(spec.topics)].map((topic) => readerFor(spec.group, topic));
      for (const reader of joined) {
        reader.members.push(member);
        schedule(reader);
      }
      return {
        async close() {
          for (const reader of joined) {
            reader.members = reader.members.filter((m) => m !== member);
            // The group's other members (or a later one) carry on from the same offset.
            if (reader.members.length > 0) schedule(reader);
          }
          await member.inFlight;
        },
      };
    },

    async ping() {
      if (closed) throw new Error("in-process bus is closed");
    },

    async lag(group, subscribed) {
      return subscribed.flatMap((topic) => {
        const reader = readers.get(`${group}\u0000${topic}`);
        return reader === undefined
          ? []
          : [{ topic, partition: 0, lag: logEnd(topicLog(topic)) - reader.offset }];
      });
    },

    async close() {
      closed = true;
      pause.stop();
      await Promise.all([...pumps]);
    },
  };
}

function logEnd(log: TopicLog): number {
  return log.base + log.events.length;
}

/** Which member of a group gets a key: stable, so one aggregate's events stay in order. */
function keySlot(key: string, members: number): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < key.length; i++) {
    hash ^= key.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  return (hash >>> 0) % members;
}
