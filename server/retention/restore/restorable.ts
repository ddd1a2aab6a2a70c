import type { RetentionCategory } from "../../generated/prisma/enums";
import type { Engine } from "../deps";
import { sql } from "../sql";
import { restorableAt } from "./scope";

export type Restorable = {
  orgId: number;
  category: RetentionCategory;
  items: number;
  bytes: bigint;
  /** The first of its items' windows to pass: everything listed is restorable until then. */
  restorableUntil: Date;
  /** The last: something of it is restorable until then. */
  lastRestorableUntil: Date;
};

/** What of a run is still restorable now, per org × category: items, bytes and until when. */
export async function restorableOfRun(engine: Engine, runId: string): Promise<Restorable[]> {
  const rows = await engine.db.$queryRaw<
    {
      org_id: number;
      category: RetentionCategory;
      items: number;
      bytes: bigint;
      first: Date;
      last: Date;
    }[]
  >(sql`
    SELECT k.org_id, k.category, count(*)::int AS items, sum(k.bytes)::bigint AS bytes,
           min(k.restorable_until) AS first, max(k.restorable_until) AS last
    FROM kept_items k
    WHERE k.run_id = ${runId} AND ${restorableAt(engine.now())}
    GROUP BY k.org_id, k.category ORDER BY k.org_id, k.category`);
  return rows.map((r) => ({
    orgId: r.org_id,
    category: r.category,
    items: r.items,
    bytes: BigInt(r.bytes),
    restorableUntil: r.first,
    lastRestorableUntil: r.last,
  }));
}
