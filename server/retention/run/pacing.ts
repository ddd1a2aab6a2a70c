import type { RetentionCategory } from "../../generated/prisma/enums";
import type { Engine, EngineSettings } from "../deps";
import { sql, type Sql } from "../sql";

const TRANSIENT_RETRIES = 3;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Per category, the size of the next batch; a worker keeps it from one task or sweep to the next. */
export type BatchSizes = Map<RetentionCategory, number>;

/** What pacing needs of a batch: the items it took, and how long its database work took (S3 calls apart). */
export type BatchPace = { items: number; workMs: number };

/**
 * What differs between runners' batches: their category, the most items one
 * takes when sized by time (null: always full), what one batch does, and
 * whether there is more to do after it.
 */
export type Batches<R extends BatchPace> = {
  category: RetentionCategory;
  sizedUpTo: number | null;
  batch(size: number): Promise<R>;
  more(result: R): boolean;
};

/** How a task's or sweep's batches stopped: done (with the last batch), at the deadline, or on a batch that kept failing. */
export type Worked<R> =
  | { kind: "ended"; last: R }
  | { kind: "paused" }
  | { kind: "failed"; size: number; error: unknown };

/**
 * The next batch's size: what the last one's rate fits in the target time,
 * halfway from the last size so one slow batch does not halve the next, and
 * never above `most` (by default the batch size setting). Lock hold times
 * then stay near the target whatever a row costs (a check with many
 * workflow flags, a busy database), as chunk-time sizing does.
 */
export function nextBatchSize(
  size: number,
  last: BatchPace,
  settings: EngineSettings,
  most = settings.batchSize,
) {
  if (last.items === 0) return size;
  const fits = (last.items / Math.max(1, last.workMs)) * settings.batchTargetMs;
  return Math.max(1, Math.min(most, Math.round((size + fits) / 2)));
}

/** A batch that fails on a transient error is retried whole, with backoff. */
export async function withRetries<T>(batch: () => Promise<T>): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await batch();
    } catch (error) {
      if (attempt >= TRANSIENT_RETRIES) throw error;
      await sleep(100 * 2 ** attempt);
    }
  }
}

/**
 * Works batch after batch until `more` says the work is done; or stops
 * between two batches when one more, as slow as the slowest so far, could
 * outrun the deadline. A batch that fails on a transient error is retried
 * whole; one that keeps failing stops the work. Every batch commits on its
 * own, so stopping between batches (deadline) or inside one (crash) loses
 * nothing and counts nothing twice.
 */
export async function workBatches<R extends BatchPace>(
  engine: Engine,
  deadline: number,
  sizes: BatchSizes,
  work: Batches<R>,
): Promise<Worked<R>> {
  let slowestBatchMs = 0;
  for (;;) {
    if (Date.now() + slowestBatchMs * 1.5 + 250 > deadline) return { kind: "paused" };
    const started = Date.now();
    const size = sizes.get(work.category) ?? engine.settings.batchSize;
    let result: R;
    try {
      result = await withRetries(() => work.batch(size));
    } catch (error) {
      return { kind: "failed", size, error };
    }
    slowestBatchMs = Math.max(slowestBatchMs, Date.now() - started);
    if (work.sizedUpTo !== null)
      sizes.set(work.category, nextBatchSize(size, result, engine.settings, work.sizedUpTo));
    if (!work.more(result)) return { kind: "ended", last: result };
  }
}

/**
 * The first CTE of the statement that opens a batch: how long each of the
 * batch's statements may run before Postgres cancels it and the batch rolls
 * back to be retried. The statement must read it (`SELECT count(*) FROM
 * timeout`), or Postgres skips it.
 */
export const statementTimeout = (engine: Engine): Sql =>
  sql`timeout AS MATERIALIZED (SELECT set_config('statement_timeout', ${`${engine.settings.batchStatementTimeoutMs ?? 60_000}ms`}, true))`;
