export { traceCalls } from "./call-spans.ts";
export {
  activeTraceIds,
  contextFromHeaders,
  injectTraceHeaders,
  kitTracer,
  recordFailure,
  setTracesExported,
  traceHeaders,
  tracesExported,
} from "./trace-context.ts";
