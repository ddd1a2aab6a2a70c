import type { Engine } from "../deps";
import { composeNotices, type NoticeReport } from "./compose";
import { sendNotices, type SendReport } from "./deliver";

export type DailyNotice = NoticeReport & SendReport;

const why = (error: unknown) => ({ error: error instanceof Error ? error.message : String(error) });

/**
 * The daily notice within a delivery: for up to a quarter of its time,
 * write the day's notices of the orgs not told yet and send what is queued.
 * A failure is reported and never stops the day's purge.
 */
export async function dailyNoticeWithin(
  engine: Engine,
  day: string,
  deadline: number,
): Promise<DailyNotice | { error: string } | null> {
  if (!engine.notices) return null;
  const until = Date.now() + (deadline - Date.now()) / 4;
  try {
    const written = await composeNotices(engine, day, until);
    return { ...written, ...(await sendNotices(engine, until)) };
  } catch (error) {
    engine.log.error({ err: error, day }, "daily notice failed");
    return why(error);
  }
}

/** Sends what is queued (retries whose time came) with the time a delivery has left. */
export async function sendNoticesWithin(engine: Engine, deadline: number) {
  try {
    return await sendNotices(engine, deadline);
  } catch (error) {
    engine.log.error({ err: error }, "notice sending failed");
    return why(error);
  }
}
