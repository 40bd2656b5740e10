import { context, DiagLogLevel, diag, propagation, trace } from "@opentelemetry/api";
import type { SpanExporter, SpanProcessor } from "@opentelemetry/sdk-trace";
import { setTracesExported } from "./trace-context.ts";

export interface TracingOptions {
  /** service.name of the spans' resource. */
  serviceName: string;
  /** OTLP/HTTP base URL (OTEL_EXPORTER_OTLP_ENDPOINT): spans go to `<url>/v1/traces`. Unset: not exported. */
  otlpEndpoint?: string;
  /** Another destination, exported span by span (tests: an InMemorySpanExporter). */
  exporter?: SpanExporter;
  /**
   * Where the SDK's own warnings (e.g. failed exports) go: a kit Logger, named by its shape here
   * because log imports telemetry (trace ids on every line) and not the other way round.
   */
  logger?: DiagnosticsLogger;
}

export interface DiagnosticsLogger {
  child(bindings: Record<string, unknown>): { warn(fields: object, message: string): void };
}

export interface Tracing {
  /** Releases this start; the last one flushes the spans and unregisters the SDK. Idempotent. */
  shutdown(): Promise<void>;
}

interface Registered {
  ready: Promise<{ shutdown(): Promise<void> }>;
  users: number;
}

let registered: Registered | undefined;

/**
 * Registers the OpenTelemetry SDK for this process: AsyncLocalStorage context, W3C trace context
 * propagation, a tracer provider (exporting over OTLP/HTTP only when an endpoint is given). A
 * process has one: later calls share the first one's (so several runtimes in one process may each
 * start and shut down tracing), except that asking for an `exporter` then is an error.
 */
export function startTracing(opts: TracingOptions): Promise<Tracing> {
  if (registered !== undefined && opts.exporter !== undefined) {
    return Promise.reject(new Error("tracing is already started in this process; shut it down first"));
  }
  const current: Registered = registered ?? { ready: register(opts), users: 0 };
  registered = current;
  current.users++;
  let released: Promise<void> | undefined;
  const release = async (): Promise<void> => {
    current.users--;
    if (current.users > 0) return;
    if (registered === current) registered = undefined;
    await (await current.ready).shutdown();
  };
  return current.ready.then(
    () => ({
      shutdown: () => {
        released ??= release();
        return released;
      },
    }),
    (error: unknown) => {
      if (registered === current) registered = undefined;
      throw error;
    },
  );
}

async function register(opts: TracingOptions): Promise<{ shutdown(): Promise<void> }> {
  // Loaded on demand: a process that never traces does not pay for the SDK.
  const [
    { BatchSpanProcessor, SimpleSpanProcessor, TracerProvider },
    { AsyncLocalStorageContextManager },
    core,
    resources,
  ] = await Promise.all([
    import("@opentelemetry/sdk-trace"),
    import("@opentelemetry/context-async-hooks"),
    import("@opentelemetry/core"),
    import("@opentelemetry/resources"),
  ]);
  const spanProcessors: SpanProcessor[] = [];
  if (opts.exporter !== undefined) spanProcessors.push(new SimpleSpanProcessor({ exporter: opts.exporter }));
  if (opts.otlpEndpoint !== undefined) {
    const { OTLPTraceExporter } = await import("@opentelemetry/exporter-trace-otlp-http");
    const url = `${opts.otlpEndpoint.replace(/\/+$/, "")}/v1/traces`;
    spanProcessors.push(new BatchSpanProcessor({ exporter: new OTLPTraceExporter({ url }) }));
  }
  const provider = new TracerProvider({
    resource: resources.resourceFromAttributes({ "service.name": opts.serviceName }),
    spanProcessors,
  });

  const logger = opts.logger?.child({ component: "opentelemetry" });
  if (logger !== undefined) {
    const ignore = (): void => {};
    diag.setLogger(
      {
        error: (message, ...args) => logger.warn({ args }, message),
        warn: (message, ...args) => logger.warn({ args }, message),
        info: ignore,
        debug: ignore,
        verbose: ignore,
      },
      DiagLogLevel.WARN,
    );
  }
  context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
  propagation.setGlobalPropagator(new core.W3CTraceContextPropagator());
  trace.setGlobalTracerProvider(provider);
  setTracesExported(spanProcessors.length > 0);

  return {
    async shutdown() {
      setTracesExported(false);
      try {
        await provider.shutdown();
      } finally {
        trace.disable();
        propagation.disable();
        context.disable();
        if (logger !== undefined) diag.disable();
      }
    },
  };
}
