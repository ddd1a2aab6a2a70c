import type { Db } from "../db";
import type { PurgeTrigger } from "../generated/prisma/enums";
import { peopleNames } from "./people";

/** What a history entry's record says about who did it. */
export type ActorRecord = {
  userId: number | null;
  /** A run's or preview's trigger: the schedule starts the daily run with no person. */
  trigger?: PurgeTrigger;
  /** An audit entry's own actor text, for an entry with no user ("system"). */
  audit?: string;
};

/**
 * Who did what the history shows, as far as the records tell: the person by
 * name, or "daily schedule"; null when the record names nobody. The one
 * place the history names actors, to give way to the console's actor label.
 */
export async function historyActors(db: Db, records: ActorRecord[]) {
  const name = await peopleNames(
    db,
    records.flatMap((r) => (r.userId === null ? [] : [r.userId])),
  );
  return (r: ActorRecord): string | null => {
    if (r.userId !== null) return name(r.userId);
    if (r.trigger === "CRON") return "daily schedule";
    return r.audit ?? null;
  };
}
