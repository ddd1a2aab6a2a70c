import type { Db } from "../../db";
import { AppError } from "../../errors";
import type { Plan, RetentionCategory } from "../../generated/prisma/enums";
import { categoryOf } from "../categories";
import type { EngineSettings } from "../deps";
import { backupKeep, overrideProblem } from "./effective-window";
import { sql } from "../sql";
import { windowsRelation } from "./org-windows";
import { loadOverrides, windowsFor } from "./org-windows";

export type WhatIfCounts = { items: number; bytes: bigint };
export type WhatIf = {
  current: { now: WhatIfCounts; next30Days: WhatIfCounts };
  proposed: { now: WhatIfCounts; next30Days: WhatIfCounts };
};

/**
 * What a changed window would make eligible, before anyone saves it: now and
 * over the next 30 days, against what the current windows make eligible.
 * For one org (an override) or for every org of a plan (a plan default).
 */
export async function whatIf(
  db: Db,
  settings: EngineSettings,
  input: { category: RetentionCategory; days: number | null; orgId?: number; plan?: Plan },
  now: Date,
): Promise<WhatIf> {
  const category = categoryOf(input.category);
  if (category.kind !== "rows" || category.keepsNewest) {
    throw new AppError("BAD_INPUT", `${category.label} are not governed by a window of days.`);
  }
  const orgs = await db.organization.findMany({
    where: input.orgId !== undefined ? { id: input.orgId } : { plan: input.plan },
    select: { id: true, plan: true, name: true },
  });
  if (input.orgId !== undefined && orgs.length === 0)
    throw new AppError("NOT_FOUND", `No organization ${input.orgId}.`);
  const org = orgs[0];
  if (input.orgId !== undefined && org) {
    const problem = overrideProblem(org.plan, input.category, input.days, settings.policy);
    if (problem) throw new AppError("BAD_INPUT", problem);
  }
  const overrides = await loadOverrides(
    db,
    orgs.map((o) => o.id),
  );
  // An org's proposal is an override; a plan's proposal replaces the plan's window.
  const proposed =
    input.orgId !== undefined
      ? { policy: settings.policy, overrides: () => input.days }
      : {
          policy: {
            ...settings.policy,
            [`RETENTION_DAYS_${input.category}_${input.plan}`]: input.days ?? -1,
          },
          overrides,
        };
  const count = async (
    policy: typeof settings.policy,
    lookup: typeof overrides,
    horizonDays: number,
  ): Promise<WhatIfCounts> => {
    const windows = windowsFor(category, orgs, policy, lookup, now, horizonDays);
    if (windows.length === 0) return { items: 0, bytes: 0n };
    const [row] = await db.$queryRaw<{ items: number; bytes: bigint }[]>(sql`
      WITH windows AS NOT MATERIALIZED ${windowsRelation(windows)}
      SELECT count(*)::int AS items, coalesce(sum(e.bytes), 0)::bigint AS bytes
      FROM (${category.eligible({ windows: sql`windows`, keepNewest: backupKeep(settings.policy) })}) e`);
    return { items: row?.items ?? 0, bytes: BigInt(row?.bytes ?? 0n) };
  };
  return {
    current: {
      now: await count(settings.policy, overrides, 0),
      next30Days: await count(settings.policy, overrides, 30),
    },
    proposed: {
      now: await count(proposed.policy, proposed.overrides, 0),
      next30Days: await count(proposed.policy, proposed.overrides, 30),
    },
  };
}
