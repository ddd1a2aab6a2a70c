import type { Db } from "../../db";
import type { RetentionCategory } from "../../generated/prisma/enums";
import type { EngineSettings } from "../deps";
import { loadOverrides, type ScopedOrg } from "../policy/org-windows";
import { sql } from "../sql";
import {
  addToCalendar,
  insertDays,
  lockForRefresh,
  summarizeTotals,
  type PairFilter,
} from "./compute";
import { takeMarks } from "./dirty-pairs";

/**
 * An incremental refresh: recomputes the dirty pairs of the newest
 * snapshot, in place, at the snapshot's own as-of, and brings its
 * summaries in line, in one transaction under the refresh lock. The
 * pairs' old day rows are deleted and their new ones inserted; the
 * calendar moves by exactly the rows replaced (a delta, so its cost does
 * not grow with the fleet) and the pairs' totals are summed again. Doing a
 * pair twice changes nothing: the second time replaces rows with the same.
 * Returns the id of the snapshot it brought up to date, or null when
 * another refresh held the lock (`wait: false`, or longer than `wait` ms) or there is no snapshot.
 */
export async function refreshDirtyPairs(
  db: Db,
  settings: EngineSettings,
  at: Date,
  options: { wait?: boolean | number } = {},
): Promise<number | null> {
  return db.$transaction(
    async (tx) => {
      if (!(await lockForRefresh(tx, options.wait ?? true))) return null;
      const [snapshot] = await tx.$queryRaw<{ id: number; as_of: Date }[]>(
        sql`SELECT id, as_of FROM forecast_snapshots ORDER BY id DESC LIMIT 1`,
      );
      if (!snapshot) return null;
      const marks = await takeMarks(tx);
      if (marks.orgIds.length === 0) return snapshot.id;
      const pairs: PairFilter = { orgIds: marks.orgIds, categories: marks.categories };
      const orgIds = [...new Set(marks.orgIds)];
      const orgs = new Map(
        (
          await tx.organization.findMany({
            where: { id: { in: orgIds } },
            select: { id: true, plan: true, name: true },
          })
        ).map((o) => [o.id, o]),
      );
      const orgsOf = new Map<RetentionCategory, ScopedOrg[]>();
      marks.categories.forEach((category, i) => {
        const org = orgs.get(marks.orgIds[i] ?? 0);
        if (org) orgsOf.set(category, [...(orgsOf.get(category) ?? []), org]);
      });
      const overrides = await loadOverrides(tx, orgIds);
      await tx.$executeRaw(sql`
        WITH gone AS (
          DELETE FROM forecast_days f
          USING unnest(${pairs.orgIds}::int[], ${pairs.categories}::"RetentionCategory"[]) AS p(org_id, category)
          WHERE f.snapshot_id = ${snapshot.id} AND f.org_id = p.org_id AND f.category = p.category
          RETURNING f.plan, f.category, f.day, f.items, f.bytes)
        ${addToCalendar(snapshot.id, "gone", -1)}`);
      const insert = insertDays(
        snapshot.id,
        settings,
        (category) => orgsOf.get(category) ?? [],
        overrides,
        snapshot.as_of,
      );
      if (insert)
        await tx.$executeRaw(sql`
          WITH added AS (${insert} RETURNING plan, category, day, items, bytes)
          ${addToCalendar(snapshot.id, "added", 1)}`);
      // Only a day no org has anything due on any more sums to none.
      await tx.$executeRaw(sql`
        DELETE FROM forecast_calendar_days WHERE snapshot_id = ${snapshot.id} AND items = 0`);
      await summarizeTotals(tx, snapshot.id, snapshot.as_of, pairs);
      await tx.$executeRaw(
        sql`UPDATE forecast_snapshots SET amended_at = ${at} WHERE id = ${snapshot.id}`,
      );
      return snapshot.id;
    },
    { timeout: 30 * 60_000, maxWait: 60_000 },
  );
}
