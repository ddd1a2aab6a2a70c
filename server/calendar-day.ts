/**
 * A calendar day as YYYY-MM-DD, apart from the schema library (the schemas
 * check inputs with these; a page reads a day from its address with them
 * without loading that library).
 */

/** Days and instants Lethe can store and compare: from 1970 through the year 9999. */
export const FIRST_DAY = "1970-01-01";
export const LAST_DAY = "9999-12-31";

/** Whether `text` is a day that exists, as YYYY-MM-DD: 2026-02-30 is refused here rather than by Postgres. */
export function isCalendarDay(text: string) {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(text)) return false;
  const day = new Date(`${text}T00:00:00.000Z`);
  return !Number.isNaN(day.getTime()) && day.toISOString().startsWith(text);
}

/** Whether a calendar day lies within what Lethe can store. */
export const isStorableDay = (day: string) => day >= FIRST_DAY && day <= LAST_DAY;

/** The UTC calendar day of an instant, as YYYY-MM-DD. */
export const isoDay = (at: Date | number) => new Date(at).toISOString().slice(0, 10);
