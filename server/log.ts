import { createRequire } from "node:module";
import pino, { type DestinationStream, type Logger, type LoggerOptions } from "pino";

/** A structured logger (pino): `log.info({ runId }, "message")`, `log.child({ runId })`. */
export type Log = Logger;

export const LOG_LEVELS = ["fatal", "error", "warn", "info", "debug", "trace", "silent"] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];
export const LOG_FORMATS = ["json", "pretty"] as const;
export type LogFormat = (typeof LOG_FORMATS)[number];

export type LogOptions = {
  /** Lines below this level are dropped (default info). */
  level?: LogLevel;
  /** json: one object per line (for jq and log collectors); pretty: for a person at a terminal. */
  format?: LogFormat;
  /** Where json lines go (default stdout); a test passes a collector. */
  destination?: DestinationStream;
};

const OPTIONS: LoggerOptions = {
  // Level names, not numbers: `jq 'select(.level == "error")'`.
  formatters: { level: (label) => ({ level: label }) },
  timestamp: pino.stdTimeFunctions.isoTime,
  // An error and the chain of its causes, each with its message and stack.
  serializers: { err: pino.stdSerializers.errWithCause },
};

/**
 * pino-pretty, a development dependency, for a person reading the output;
 * JSON where it is not installed (a production install).
 */
function prettyStream(): DestinationStream | null {
  try {
    const pretty = createRequire(import.meta.url)("pino-pretty") as (
      options: object,
    ) => DestinationStream;
    return pretty({ colorize: true, sync: true, translateTime: "SYS:HH:MM:ss.l" });
  } catch {
    return null;
  }
}

export function createLog(options: LogOptions = {}): Log {
  const config = { ...OPTIONS, level: options.level ?? "info" };
  const stream =
    options.destination ?? (options.format === "pretty" ? prettyStream() : null) ?? undefined;
  return stream ? pino(config, stream) : pino(config);
}

const isOneOf = <T extends string>(values: readonly T[], value: string | undefined): value is T =>
  values.includes(value as T);

/**
 * How this process logs, from LOG_LEVEL and LOG_FORMAT (validated with the
 * rest of the environment, env.ts) or else NODE_ENV: JSON in production,
 * readable in development, nothing in tests unless LOG_LEVEL asks. Read
 * from process.env directly, so that a process whose environment is wrong
 * can still say so.
 */
export function logOptionsFromEnv(source: Record<string, string | undefined> = process.env) {
  const nodeEnv = source.NODE_ENV ?? "development";
  const level: LogLevel = isOneOf(LOG_LEVELS, source.LOG_LEVEL)
    ? source.LOG_LEVEL
    : nodeEnv === "test"
      ? "silent"
      : "info";
  const format: LogFormat = isOneOf(LOG_FORMATS, source.LOG_FORMAT)
    ? source.LOG_FORMAT
    : nodeEnv === "development"
      ? "pretty"
      : "json";
  return { level, format };
}

const globalForLog = globalThis as unknown as { letheLog?: Log };

/**
 * This process's logger: the engine's (app-engine.ts), the worker's, and
 * the route handlers'. Kept on globalThis, as the database handle is.
 */
export function appLog(): Log {
  globalForLog.letheLog ??= createLog(logOptionsFromEnv());
  return globalForLog.letheLog;
}
