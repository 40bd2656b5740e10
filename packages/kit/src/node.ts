// Node rim of the kit: servers, drivers, files, signals.
export { createPgliteConnector, createPostgresConnector, type PgliteLocation } from "./db/node.ts";
export {
  createScratchDatabase,
  type ExplainedStatement,
  type ScratchDatabase,
} from "./db/scratch-database.ts";
export {
  incomingCallSignal,
  inheritCallerDeadline,
  rememberCallerDeadline,
} from "./discovery/caller-deadline.ts";
export { createConsulDiscovery } from "./discovery/consul.ts";
export { dnsAddresses } from "./discovery/dns.ts";
export { http2Instances } from "./discovery/http2.ts";
export { createKafkaBus, type KafkaBusOptions } from "./events/kafka-bus.ts";
export {
  type DeadLetter,
  type DeadLetterOptions,
  listDeadLetters,
  replayDeadLetters,
} from "./events/kafka-dead-letters.ts";
export { fixKafkaNegativeTimer } from "./events/kafka-timer-fix.ts";
export {
  type LaunchedService,
  type ListenAddress,
  launchService,
  type NodeLaunchedService,
} from "./runtime/launch.ts";
export { type MainProcess, runMain } from "./runtime/run-main.ts";
export { createRuntimeFromEnv, type RuntimeFromEnvOptions } from "./runtime/runtime-from-env.ts";
export { runServiceMain } from "./runtime/service-entry.ts";
export { type HttpTimeouts, MAX_REQUEST_LINE_BYTES } from "./server/http1-edge.ts";
export { serveMetricsPort } from "./server/metrics-port.ts";
export {
  type ListeningNodeServer,
  type ListenOptions,
  listenNode,
  type NodeServer,
  type NodeSite,
  type ServeNodeOptions,
  serveNode,
} from "./server/node-server.ts";
export { serviceKeyOf } from "./service-identity/key-source.ts";
export { startTracing, type Tracing, type TracingOptions } from "./telemetry/node.ts";
export { loadOrCreateSigningKey } from "./tokens/key-file.ts";
