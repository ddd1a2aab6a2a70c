import type { Log } from "../../log";
import type { Engine } from "../deps";
import { cleanUpPreviews } from "../plan/preview-cleanup";
import { finallyDeleteDue } from "../restore/final-deletion";
import { composeNotices, type NoticeReport } from "../notices/compose";
import { sendNotices, type SendReport } from "../notices/deliver";
import { expireExports } from "../exports/expire";
import { workExports } from "../exports/exports";

/** Why a side job of a delivery did not finish: its error's message. */
export type Failed = { error: string };

export type DailyNotice = NoticeReport & SendReport;

/**
 * Runs one of a cron delivery's side jobs (everything but planning and
 * purging): a failure is logged as `failed` and reported with why, and never
 * stops the day's purge.
 */
async function sideJob<T>(log: Log, failed: string, job: () => Promise<T>): Promise<T | Failed> {
  try {
    return await job();
  } catch (error) {
    log.error({ err: error }, failed);
    return { error: error instanceof Error ? error.message : String(error) };
  }
}

/** The moment `share` of the time left until `deadline` has passed. */
const shareOf = (deadline: number, share: number) => Date.now() + (deadline - Date.now()) * share;

/** Removes expired previews' manifests for up to a quarter of the time left (later deliveries finish the rest). */
export const cleanUpWithin = (engine: Engine, deadline: number) =>
  sideJob(engine.log, "preview cleanup failed", () =>
    cleanUpPreviews(engine, { deadline: shareOf(deadline, 1 / 4) }),
  );

/** Deletes exports past their expiry for up to a tenth of the time left (later deliveries go on). */
export const exportExpiryWithin = (engine: Engine, deadline: number) =>
  sideJob(engine.log, "export expiry failed", () =>
    expireExports(engine, shareOf(deadline, 1 / 10)),
  );

/**
 * Finally deletes kept items past their restore window for up to a quarter
 * of the time left, recorded against the day's run (later deliveries go on).
 */
export const finalDeletionWithin = (engine: Engine, runId: string, deadline: number) =>
  sideJob(engine.log.child({ runId }), "final deletion failed", () =>
    finallyDeleteDue(engine, runId, shareOf(deadline, 1 / 4)),
  );

/**
 * The daily notice: for up to a quarter of the time left, write the day's
 * notices of the orgs not told yet and send what is queued.
 */
export const dailyNoticeWithin = (engine: Engine, day: string, deadline: number) =>
  sideJob(engine.log.child({ day }), "daily notice failed", async (): Promise<DailyNotice> => {
    const until = shareOf(deadline, 1 / 4);
    const written = await composeNotices(engine, day, until);
    return { ...written, ...(await sendNotices(engine, until)) };
  });

/** Sends what is queued (retries whose time came) with the time a delivery has left. */
export const sendNoticesWithin = (engine: Engine, deadline: number) =>
  sideJob(engine.log, "notice sending failed", () => sendNotices(engine, deadline));

/**
 * Builds queued exports (a notice's, which nothing else would build on a
 * deployment without `npm run worker`) with the time the purge work left:
 * none starts after `deadline`.
 */
export const exportBuildsWithin = (engine: Engine, deadline: number) =>
  sideJob(engine.log, "export builds failed", () => workExports(engine, deadline));
