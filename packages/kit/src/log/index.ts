export { createLogger, type Logger, serviceLogger, silentLogger } from "./logger.ts";
