import type { DestinationStream } from "pino";
import { createLog, logOptionsFromEnv, type Log, type LogLevel } from "../server/log";

/** The logger of a test's engine: silent unless LOG_LEVEL asks (then JSON lines on stdout). */
export const testLog = (): Log => createLog(logOptionsFromEnv());

/** A logger whose JSON lines a test reads back, each parsed, in `lines`. */
export function captureLog(level: LogLevel = "debug") {
  const lines: Record<string, unknown>[] = [];
  const destination: DestinationStream = {
    write: (line: string) => {
      lines.push(JSON.parse(line) as Record<string, unknown>);
    },
  };
  return { log: createLog({ level, destination }), lines };
}
