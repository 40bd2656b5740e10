import { Writable } from "node:stream";
import { type LogEntry, logLevel } from "kafkajs";
import pino from "pino";
import { describe, expect, it } from "vitest";
import { createKafkaLog } from "./kafka-log.ts";

function recordingLogger() {
  const lines: { level: number; msg: string; repeatsLeftOut?: number }[] = [];
  const stream = new Writable({
    write(chunk, _encoding, done) {
      lines.push(JSON.parse(String(chunk)));
      done();
    },
  });
  return { logger: pino({ level: "info" }, stream), lines };
}

function entry(level: logLevel, message: string, extra: Record<string, unknown> = {}): LogEntry {
  return {
    namespace: "Connection",
    level,
    label: level === logLevel.ERROR ? "ERROR" : "WARN",
    log: { timestamp: new Date().toISOString(), logger: "kafkajs", message, ...extra },
  };
}

describe("kafka log", () => {
  it("folds a broker outage (hundreds of kafkajs errors) into one line, and its end into another", () => {
    const { logger, lines } = recordingLogger();
    const kafkaLog = createKafkaLog(logger);
    const log = kafkaLog.logCreator();
    for (let i = 0; i < 250; i++) {
      log(entry(logLevel.ERROR, "Connection error: connect ECONNREFUSED 127.0.0.1:9092"));
      log(entry(logLevel.ERROR, "Failed to connect to seed broker, trying another broker from the list: x"));
    }
    log(
      entry(logLevel.ERROR, "Crash: KafkaJSNumberOfRetriesExceeded: Connection error: connect ECONNREFUSED"),
    );
    expect(kafkaLog.outage.down).toBe(true);
    kafkaLog.reachable();
    kafkaLog.reachable();
    expect(kafkaLog.outage.down).toBe(false);
    expect(lines.map((line) => [line.level, line.msg])).toEqual([
      [40, "kafka unreachable, retrying until it answers"],
      [30, "kafka reachable again"],
    ]);
  });

  it("logs any other message at warn, once a minute, counting the repeats left out", () => {
    const { logger, lines } = recordingLogger();
    const log = createKafkaLog(logger).logCreator();
    for (let i = 0; i < 5; i++)
      log(entry(logLevel.WARN, `The group is rebalancing, re-joining (generation ${i})`));
    log(entry(logLevel.ERROR, "Crash: KafkaJSNonRetriableError: a bug in the handler"));
    expect(lines.map((line) => [line.level, line.msg])).toEqual([
      [40, "The group is rebalancing, re-joining (generation 0)"],
      [40, "Crash: KafkaJSNonRetriableError: a bug in the handler"],
    ]);
  });
});
