import { createRequire } from "node:module";
import pino, { type DestinationStream, type Logger } from "pino";

export type { Logger };

/**
 * Where the lines go: stdout, one JSON object a line (what a log platform
 * collects and `jq` reads); outside production, when a person watches a
 * terminal and pino-pretty is installed (a development dependency, never
 * in a production install), readable lines instead.
 */
function destination(): DestinationStream | undefined {
  if (process.env.NODE_ENV === "production" || !process.stdout.isTTY) return undefined;
  try {
    const pretty = createRequire(import.meta.url)("pino-pretty") as (options: object) => unknown;
    return pretty({ colorize: true, translateTime: "SYS:HH:MM:ss.l" }) as DestinationStream;
  } catch {
    return undefined;
  }
}

/** Tests are quiet unless LOG_LEVEL asks for lines (a test that reads them sets it). */
function level() {
  return process.env.LOG_LEVEL ?? (process.env.NODE_ENV === "test" ? "silent" : "info");
}

/**
 * The process's logger. An error goes under `err`, with its stack and its
 * cause: `logger.error({ err }, "what failed")`.
 */
export const logger: Logger = pino(
  {
    level: level(),
    timestamp: pino.stdTimeFunctions.isoTime,
    serializers: { err: pino.stdSerializers.errWithCause },
  },
  destination(),
);

/**
 * A logger whose every line carries `bindings`: the ids of what is being
 * worked (runId, planId, taskId or sweepId, orgId, category), so that one
 * run's lines can be picked out with `jq 'select(.runId == "…")'`.
 */
export function childLogger(bindings: Record<string, unknown>): Logger {
  return logger.child(bindings);
}
