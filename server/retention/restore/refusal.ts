import { sql, type Tx } from "../sql";
import { describeScope, ERASED, finallyDeletedInScope, inScope, type RestoreScope } from "./scope";
import { isoDay } from "../../calendar-day";

type Kept = {
  items: number;
  restored: number;
  until: Date | null;
  restored_at: Date | null;
  erased: number;
};

/**
 * Why nothing of the scope can be restored, in words a person can act on:
 * its window passed (and when it was finally deleted, or that its final
 * deletion is under way), an erasure covers it, it was restored already,
 * or the run kept nothing of it.
 */
export async function whyNotRestorable(tx: Tx, scope: RestoreScope, now: Date): Promise<string> {
  const [kept] = await tx.$queryRaw<Kept[]>(sql`
    SELECT count(*)::int AS items, count(k.restored_at)::int AS restored,
           max(k.restorable_until) AS until, max(k.restored_at) AS restored_at,
           count(*) FILTER (WHERE ${ERASED} AND k.restored_at IS NULL)::int AS erased
    FROM kept_items k WHERE ${inScope(scope)}`);
  const [final] = await tx.$queryRaw<{ at: Date | null }[]>(sql`
    SELECT max(w.created_at) AS at FROM window_batches w WHERE ${finallyDeletedInScope(scope)}`);
  const what = describeScope(scope);
  const waiting = (kept?.items ?? 0) - (kept?.restored ?? 0);
  if (waiting === 0 && final?.at)
    return `${what} is no longer restorable: its restore window passed and it was finally deleted on ${isoDay(final.at)}.`;
  if (!kept || kept.items === 0)
    return `Nothing of ${what} can be restored: the run kept none of it in a restore window (its category or plan has none, it was a GDPR erasure, or the run did not purge it).`;
  if (kept.erased > 0)
    return `${what} is no longer restorable: a GDPR erasure of its org or member covers it, and erasures are final.`;
  if (waiting === 0 && kept.restored_at)
    return `${what} was already restored on ${isoDay(kept.restored_at)}.`;
  const until = kept.until ? isoDay(kept.until) : "?";
  return `${what} is no longer restorable: restorable until ${until}; its final deletion is under way (as of ${isoDay(now)}).`;
}
