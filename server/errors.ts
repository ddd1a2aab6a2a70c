import type { ZodError } from "zod";

/**
 * The one error type the domain throws for conditions a person can act on.
 * The code says what kind of problem it is; tRPC and the route handlers map
 * it to a status, and the message says what to do.
 */
export type AppErrorCode =
  | "BAD_INPUT"
  | "NOT_FOUND"
  | "CONFLICT"
  | "FORBIDDEN"
  | "UNAUTHORIZED"
  | "PLAN_EXPIRED"
  | "GUARDRAIL"
  | "PRECONDITION";

export class AppError extends Error {
  constructor(
    readonly code: AppErrorCode,
    message: string,
    readonly details?: Record<string, unknown>,
  ) {
    super(message);
    this.name = "AppError";
  }
}

export const HTTP_STATUS: Record<AppErrorCode, number> = {
  BAD_INPUT: 400,
  UNAUTHORIZED: 401,
  FORBIDDEN: 403,
  NOT_FOUND: 404,
  CONFLICT: 409,
  PLAN_EXPIRED: 412,
  PRECONDITION: 412,
  GUARDRAIL: 428,
};

type PgCause = { originalCode?: string; originalMessage?: string };

/**
 * When `error` is Postgres refusing a value of the request itself, what to
 * tell the caller; null for any other error. Validation lets through a
 * number beyond a column's range (an id of 2^31) and text with a NUL
 * character; they are the caller's to fix (400), not a fault of ours (500).
 */
export function refusedValue(error: unknown): string | null {
  const e = error as { meta?: { driverAdapterError?: { cause?: PgCause } }; cause?: PgCause };
  const pg = e?.meta?.driverAdapterError?.cause ?? e?.cause;
  if (pg?.originalCode === "22003")
    return `A number in the request is out of range: ${pg.originalMessage ?? "too large"}.`;
  if (pg?.originalCode === "22021")
    return "Text in the request contains a NUL character (\\u0000), which cannot be stored or searched.";
  return null;
}

/** A UTF-16 surrogate without its pair: not text Postgres (or any JSON parser after it) accepts. */
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/**
 * Whether `value` holds text that is not well-formed Unicode, in a string or
 * a key at any depth: refused up front (400) rather than by the database
 * mid-request (a 500 in words that name nothing).
 */
export function hasIllFormedText(value: unknown, depth = 0): boolean {
  if (typeof value === "string") return LONE_SURROGATE.test(value);
  if (depth > 32 || value === null || typeof value !== "object") return false;
  return Object.entries(value).some(
    ([key, v]) => LONE_SURROGATE.test(key) || hasIllFormedText(v, depth + 1),
  );
}

export const ILL_FORMED_TEXT =
  "Text in the request contains a lone UTF-16 surrogate (such as \\ud800), which is not a character: send well-formed Unicode.";

/** "orgId: Invalid input: expected number, received string; days: …" */
export function describeZodError(error: ZodError, labels: Record<string, string> = {}) {
  return error.issues.map((issue) => `${fieldOf(issue.path, labels)}: ${issue.message}`).join("; ");
}

/**
 * Where an issue lies: the input's field names ("recipients.0"), or, for a
 * form that names its fields (`labels`), what the form calls them, with a
 * list's entries counted from 1 ("Email recipients #1").
 */
function fieldOf(path: PropertyKey[], labels: Record<string, string>) {
  const [first, ...rest] = path.map(String);
  if (first === undefined) return "input";
  const label = labels[first];
  if (label === undefined) return [first, ...rest].join(".");
  return [label, ...rest.map((p) => (/^\d+$/.test(p) ? `#${Number(p) + 1}` : p))].join(" ");
}
