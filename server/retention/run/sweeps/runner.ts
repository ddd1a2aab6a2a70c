import type { Log } from "../../../log";
import type { Engine } from "../../deps";
import { claim, givesUp, pause, release, type WorkOutcome } from "../leases";
import { workBatches, type BatchSizes } from "../pacing";
import { endRunIfDone } from "../run-end";
import { chargeFailure, chargeSweep } from "./failing-orgs";
import { foldSweep } from "./fold";
import { purgeSweepBatch } from "./purge-batch";
import { readSweep, type Sweep } from "./stretches";

/**
 * Most items in a sweep's batch. It deletes no objects, so S3's limit of
 * 1,000 keys per DeleteObjects (PURGE_BATCH_SIZE's bound) does not apply:
 * its size follows the time target alone, which at a few tens of µs a
 * check is a few thousand. Each batch's fixed cost (its round trips, the
 * planning of its statement, its commit) is then shared by that many.
 */
const SWEEP_BATCH_MOST = 10_000;

/**
 * Ends the sweep (see foldSweep); once it ended its category's tasks, the
 * run may end too. A sweep that cannot end stays open with its error shown:
 * its run must not end without the evidence of what it deleted.
 */
async function endSweep(
  engine: Engine,
  log: Log,
  sweep: Sweep,
  gaveUp?: string,
): Promise<WorkOutcome> {
  let ended;
  try {
    ended = await foldSweep(engine, sweep, gaveUp);
  } catch (error) {
    log.error({ err: error }, "sweep could not end");
    await chargeSweep(engine, sweep, error);
    await release(engine, "sweep", [sweep.id]);
    return { kind: "failed", error };
  }
  if (ended) log.info({ ...ended, ...(gaveUp ? { gaveUp } : {}) }, "sweep ended");
  if (ended?.endedTasks) await endRunIfDone(engine, sweep.runId);
  return { kind: "done" };
}

/**
 * Works one batch after another of a sweep's stretch, in item order, then
 * ends the sweep. A sweep whose own failures reached the limit is given up:
 * its unsettled items are set aside as FAILED and it ends.
 */
async function workSweep(
  engine: Engine,
  sweepId: number,
  deadline: number,
  outcomes: Map<number, WorkOutcome>,
  sizes: BatchSizes,
) {
  const sweep = await readSweep(engine, sweepId);
  const { runId, planId, category } = sweep;
  const log = engine.log.child({ runId, planId, sweepId, category });
  if (givesUp(engine, sweep.attempts)) {
    const attempts = `${sweep.attempts} failed attempt${sweep.attempts === 1 ? "" : "s"}`;
    const why = `not purged: its sweep gave up after ${attempts}: ${sweep.lastError ?? "unknown error"}`;
    outcomes.set(sweep.id, await endSweep(engine, log, sweep, why));
    return;
  }
  const worked = await workBatches(engine, deadline, sizes, {
    category: sweep.category,
    sizedUpTo: SWEEP_BATCH_MOST,
    batch: (size) => purgeSweepBatch(engine, sweep, size),
    more: (batch) => {
      log.debug({ items: batch.items, workMs: Math.round(batch.workMs) }, "batch");
      return !batch.lost && !batch.done;
    },
  });
  if (worked.kind === "paused") {
    log.debug("paused at the deadline");
    return pause(engine, "sweep", [sweep.id], outcomes);
  }
  if (worked.kind === "failed") {
    await chargeFailure(engine, log, sweep, worked.size, worked.error);
    outcomes.set(sweep.id, { kind: "failed", error: worked.error });
    return;
  }
  outcomes.set(sweep.id, worked.last.lost ? { kind: "busy" } : await endSweep(engine, log, sweep));
}

/**
 * The runner of sweeps: stretches of a swept category's manifest, each
 * worked in item order across every org of its run.
 */
export async function runSweeps(
  engine: Engine,
  sweepIds: number[],
  deadline: number,
  sizes: BatchSizes,
): Promise<Map<number, WorkOutcome>> {
  const { claimed, unclaimed: outcomes } = await claim(engine, "sweep", sweepIds);
  for (const id of claimed) await workSweep(engine, id, deadline, outcomes, sizes);
  return outcomes;
}
