export { traceCalls } from "./call-spans.ts";
export {
  activeTraceIds,
  contextFromHeaders,
  injectTraceHeaders,
  kitTracer,
  recordFailure,
  traceHeaders,
} from "./trace-context.ts";
