import { isoDay } from "../../calendar-day";
import type { ForecastDay } from "./upcoming";

/**
 * The calendar split in two: the overdue backlog, what is due today or
 * earlier (already eligible, or by tonight: the next run takes it, and the
 * calendar counts all of it on today), per category; and the daily flow,
 * what falls due on each day after today. The backlog is most of a fleet's
 * calendar when purges have not run for a while, so the two are shown apart
 * and the flow keeps a scale of its own.
 */
export function splitBacklog(days: ForecastDay[], now: Date) {
  const today = isoDay(now);
  return {
    backlog: days.filter((d) => d.day <= today),
    flow: days.filter((d) => d.day > today),
  };
}
