import type { Db } from "../../db";
import type { RetentionCategory } from "../../generated/prisma/enums";
import { rowCategories } from "../categories";
import type { EngineSettings } from "../deps";
import { backupKeep, effectiveWindow } from "../policy/effective-window";
import { loadOverrides, windowsFor, windowsRelation } from "../policy/org-windows";
import { pinnedUntilOf } from "../policy/pin-rules";
import { planDaysIfOverridden, windowRule } from "../plan/reasons";
import { sql } from "../sql";
import { isoDay } from "../../calendar-day";

/** The items of one org × category that fall due within the horizon, soonest first, with why. */
export async function dueItemsOf(
  db: Db,
  settings: EngineSettings,
  input: {
    orgId: number;
    category: RetentionCategory;
    horizonDays: number;
    offset: number;
    limit: number;
  },
  asOf: Date,
) {
  const category = rowCategories().find((c) => c.key === input.category);
  const org = await db.organization.findUnique({
    where: { id: input.orgId },
    select: { id: true, plan: true, name: true },
  });
  if (!category || !org) return { total: 0, items: [] };
  const overrides = await loadOverrides(db, [org.id]);
  const windows = windowsFor(category, [org], settings.policy, overrides, asOf, input.horizonDays);
  if (windows.length === 0) return { total: 0, items: [] };
  const planDays = planDaysIfOverridden(
    org.plan,
    category.key,
    settings.policy,
    effectiveWindow(org.plan, category.key, settings.policy, overrides(org.id, category.key)),
  );
  const pin = pinnedUntilOf(category.key);
  const rows = await db.$queryRaw<
    {
      item_id: number;
      bytes: bigint;
      by_window: Date;
      pinned_until: Date | null;
      total: number;
    }[]
  >(sql`
    WITH windows AS NOT MATERIALIZED ${windowsRelation(windows)}
    SELECT e.item_id, e.bytes, e.aged_at + make_interval(days => w.days) AS by_window,
           ${pin.until} AS pinned_until, count(*) OVER ()::int AS total
    FROM (${category.eligible({ windows: sql`windows`, keepNewest: backupKeep(settings.policy) })}) e
    JOIN windows w ON w.org_id = e.org_id
    ${pin.join}
    ORDER BY e.aged_at, e.item_id OFFSET ${input.offset} LIMIT ${input.limit}`);
  return {
    total: rows[0]?.total ?? 0,
    items: rows.map((r) => {
      // The row shows when it is due: the reason is the rule, and a pin past it.
      const rule = windowRule({
        category: input.category,
        plan: org.plan,
        windowDays: windows[0]?.days ?? null,
        planDays,
      });
      // A pin keeps it past its window: it goes when the pin lapses.
      const pinned = r.pinned_until && r.pinned_until > r.by_window ? r.pinned_until : null;
      const window = `its window ${r.by_window <= asOf ? "ended" : "ends"} ${isoDay(r.by_window)}`;
      return {
        itemId: r.item_id,
        bytes: BigInt(r.bytes),
        eligibleAt: pinned ?? r.by_window,
        reason: pinned ? `pinned until ${isoDay(pinned)}; ${window}: ${rule}` : rule,
      };
    }),
  };
}
