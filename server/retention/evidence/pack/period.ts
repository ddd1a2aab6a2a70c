import type { Db } from "../../../db";
import { AppError } from "../../../errors";
import { MAX_PERIOD_DAYS } from "./limits";
import { isoDay } from "../../../calendar-day";

const DAY_MS = 86_400_000;

/** A pack's period: whole UTC days `fromDay`..`toDay`, both included, and optionally one org. */
export type Period = { fromDay: string; toDay: string; orgId: number | null };

/** The period as instants: `from` included, `to` (the day after `toDay`) excluded. */
export const bounds = (p: Period) => ({
  from: new Date(`${p.fromDay}T00:00:00Z`),
  to: new Date(new Date(`${p.toDay}T00:00:00Z`).getTime() + DAY_MS),
});

/** Every day of the period, oldest first. */
export function* days(p: Period) {
  const { from, to } = bounds(p);
  for (let t = from.getTime(); t < to.getTime(); t += DAY_MS) yield isoDay(t);
}

const isDay = (s: string) =>
  /^\d{4}-\d{2}-\d{2}$/.test(s) && new Date(`${s}T00:00:00Z`).toISOString().startsWith(s);

/**
 * Checks a requested period before anything is written: real days, `to`
 * not before `from`, at most MAX_PERIOD_DAYS, and an org that exists.
 */
export async function checkPeriod(db: Db, p: Period): Promise<Period> {
  for (const [field, day] of [
    ["from", p.fromDay],
    ["to", p.toDay],
  ] as const)
    if (!isDay(day))
      throw new AppError("BAD_INPUT", `${field}: "${day}" is not a day (YYYY-MM-DD).`, { field });
  const { from, to } = bounds(p);
  if (to <= from)
    throw new AppError(
      "BAD_INPUT",
      `The period ends (${p.toDay}) before it starts (${p.fromDay}).`,
      {
        field: "to",
      },
    );
  const length = Math.round((to.getTime() - from.getTime()) / DAY_MS);
  if (length > MAX_PERIOD_DAYS)
    throw new AppError(
      "BAD_INPUT",
      `The period is ${length} days; a pack covers at most ${MAX_PERIOD_DAYS}. Build one per year.`,
      { field: "to" },
    );
  if (p.orgId !== null && !(await db.organization.findUnique({ where: { id: p.orgId } })))
    throw new AppError("BAD_INPUT", `No organization ${p.orgId}.`, { field: "org" });
  return p;
}
