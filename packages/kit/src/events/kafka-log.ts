import { type LogEntry, logLevel } from "kafkajs";
import type { Logger } from "pino";
import { createOutageLog, type OutageLog } from "./outage-log.ts";

// What kafkajs logs, again and again, while a broker is away: folded into one outage. (A crash
// for another reason, a handler's bug, is logged as such.)
const CONNECTION_TROUBLE =
  /ECONNREFUSED|ECONNRESET|ETIMEDOUT|EHOSTUNREACH|ENOTFOUND|Connection (error|timeout|closed)|Closed connection|Failed to connect|not available|disconnected|socket/i;
const REPEAT_WINDOW_MS = 60_000;

export interface KafkaLog {
  /** The logCreator to give `new Kafka(...)`. */
  logCreator: () => (entry: LogEntry) => void;
  /** The broker answered (a fetch, a join, a send): ends an outage, with one line. */
  reachable(): void;
  /** The broker is being waited for (also for readiness). */
  outage: OutageLog;
}

/**
 * kafkajs's log, in pino, without its noise: connection trouble (hundreds of lines per outage)
 * becomes one "unreachable" line and one "reachable again" line; any other message is logged (its
 * errors and warnings at warn) at most once a minute, with how many repeats were left out.
 */
export function createKafkaLog(logger: Logger): KafkaLog {
  const outage = createOutageLog(logger, {
    lost: "kafka unreachable, retrying until it answers",
    recovered: "kafka reachable again",
  });
  const lastLogged = new Map<string, { at: number; repeats: number }>();

  function log(entry: LogEntry): void {
    const { message, timestamp: _, logger: __, ...details } = entry.log;
    const fields = { kafka: { namespace: entry.namespace, ...details } };
    if (
      entry.level <= logLevel.WARN &&
      CONNECTION_TROUBLE.test(`${message} ${String(details.error ?? "")}`)
    ) {
      outage.lost(Object.assign(new Error(message), fields.kafka));
      logger.debug(fields, message);
      return;
    }
    const key = `${entry.namespace} ${message.replace(/\d+/g, "#")}`;
    const now = Date.now();
    const seen = lastLogged.get(key);
    if (seen !== undefined && now - seen.at < REPEAT_WINDOW_MS) {
      seen.repeats++;
      return;
    }
    lastLogged.set(key, { at: now, repeats: 0 });
    const repeats = seen?.repeats ? { repeatsLeftOut: seen.repeats } : {};
    // kafkajs logs retriable hiccups (a topic's leader moving) as errors; what really fails
    // reaches our code as a thrown error. So its errors, like its warnings, at warn.
    if (entry.level <= logLevel.WARN) logger.warn({ ...fields, ...repeats }, message);
    else if (entry.level === logLevel.INFO) logger.info({ ...fields, ...repeats }, message);
    else logger.debug({ ...fields, ...repeats }, message);
  }

  return { logCreator: () => log, reachable: () => outage.recovered(), outage };
}
