export {
  createLogger,
  type LogFormat,
  type Logger,
  logFormatOf,
  serviceLogger,
  silentLogger,
} from "./logger.ts";
