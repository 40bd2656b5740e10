import { Counter, Gauge } from "prom-client";
import { metricsRegistry } from "./metrics-registry.ts";

/** Handler failures that were retried: `kind` transient (a dependency away) or deterministic. */
export const consumerRetriesTotal: Counter<"consumer" | "topic" | "kind"> = new Counter({
  name: "consumer_retries_total",
  help: "Event handler attempts that failed and were retried, by consumer, topic and kind (transient, deterministic)",
  labelNames: ["consumer", "topic", "kind"],
  registers: [metricsRegistry],
});

/** Events sent to "<topic>.dlq" after failing deterministically maxAttempts times. */
export const deadLettersTotal: Counter<"consumer" | "topic"> = new Counter({
  name: "consumer_dead_letters_total",
  help: "Events dead-lettered, by consumer and topic",
  labelNames: ["consumer", "topic"],
  registers: [metricsRegistry],
});

/** Inbox rows older than the retention window, deleted by the consumer's sweep. */
export const inboxRowsRemovedTotal: Counter<"consumer"> = new Counter({
  name: "inbox_rows_removed_total",
  help: "Inbox rows deleted by the retention sweep, by consumer",
  labelNames: ["consumer"],
  registers: [metricsRegistry],
});

/** A source that does not answer in this time (database away) is left out of the scrape. */
const SCRAPE_TIMEOUT_MS = 1_000;

async function withinScrapeTime<T>(work: Promise<T>): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  work.catch(() => undefined);
  try {
    return await Promise.race([
      work,
      new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new Error("metrics source timed out")), SCRAPE_TIMEOUT_MS);
      }),
    ]);
  } finally {
    clearTimeout(timer);
  }
}

type Sample = { labels: Record<string, string>; value: number };
type Collector = () => Promise<Sample[]>;

/**
 * A gauge whose samples are read at scrape time from every source registered (one per outbox or
 * consumer in the process). A source that fails or is slow (database away) is left out of that scrape.
 */
function collectedGauge(name: string, help: string, labelNames: string[]) {
  const sources = new Set<Collector>();
  new Gauge({
    name,
    help,
    labelNames,
    registers: [metricsRegistry],
    async collect() {
      this.reset();
      const results = await Promise.allSettled([...sources].map((source) => withinScrapeTime(source())));
      for (const result of results) {
        if (result.status !== "fulfilled") continue;
        for (const sample of result.value) this.set(sample.labels, sample.value);
      }
    },
  });
  return (source: Collector): (() => void) => {
    sources.add(source);
    return () => void sources.delete(source);
  };
}

/** Registers an outbox's count of unsent rows (label `outbox`: its schema); returns the unregister. */
export const collectOutboxBacklog: (source: () => Promise<Sample[]>) => () => void = collectedGauge(
  "outbox_backlog",
  "Outbox rows not yet sent to the bus, by outbox (the service's schema)",
  ["outbox"],
);

/** Registers a consumer's lag (messages not yet consumed) per topic and partition. */
export const collectConsumerLag: (source: () => Promise<Sample[]>) => () => void = collectedGauge(
  "consumer_lag",
  "Messages published but not yet consumed, by consumer group, topic and partition",
  ["consumer", "topic", "partition"],
);
