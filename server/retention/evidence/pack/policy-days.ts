import type { Db } from "../../../db";
import type { BackupEnvironment } from "../../policy/defaults";
import { sql } from "../../sql";
import { bounds, days, type Period } from "./period";

const DAY_MS = 86_400_000;

/** Said on every day's line: where each part of that day's policy comes from. */
export const POLICY_SOURCES = {
  windows:
    "the windows the daily run of that day applied: its confirmed plan's frozen entries (one per org x category with items due), grouped by the org's plan; backups are kept by count, not days: their line gives the newest N per environment that plan froze and its run kept; a day without a daily run has none recorded",
  overrides:
    "reconstructed from the audit log's policy.override.set and policy.override.cleared entries (each records the window before and after) back from today's retention_overrides",
  holds: "legal_holds: placed_at and released_at, kept after release",
  notRecorded:
    "the deployment's configured defaults (plan defaults, RETENTION_DAYS_*) are not recorded per day: pack.json holds those in force when the pack was built, not those of past days",
} as const;

/** Backups have no window of days: a run keeps the newest N of each environment. */
const BACKUPS_RULE = "newest N kept per environment";

type OverrideState = number | "unlimited" | null;
type OverrideEvent = { at: Date; key: string; before: OverrideState };

const stateOf = (value: unknown): OverrideState =>
  value === "plan" || value === undefined || value === null
    ? null
    : (value as number | "unlimited");

/** Every override change since `from`, with the window that was in force before it. */
async function overrideChanges(db: Db, p: Period, from: Date): Promise<OverrideEvent[]> {
  const entries = await db.auditEntry.findMany({
    where: {
      action: { in: ["policy.override.set", "policy.override.cleared"] },
      at: { gte: from },
      ...(p.orgId === null ? {} : { orgId: p.orgId }),
    },
    orderBy: { id: "asc" },
    select: { at: true, action: true, target: true, details: true },
  });
  return entries.map((e) => {
    const d = e.details as Record<string, unknown>;
    return {
      at: e.at,
      key: (e.target ?? "").replace(/^override:/, ""),
      before: stateOf(e.action === "policy.override.set" ? d.from : d.was),
    };
  });
}

/** Overrides in force at `instant`: the state before the first change after it, else today's. */
function overridesAt(instant: Date, now: Map<string, OverrideState>, changes: OverrideEvent[]) {
  const state = new Map(now);
  // Undo, newest first, every change made after the instant.
  for (let i = changes.length - 1; i >= 0; i--) {
    const c = changes[i];
    if (c && c.at >= instant) state.set(c.key, c.before);
  }
  return [...state]
    .filter(([, days]) => days !== null)
    .map(([key, days]) => {
      const [orgId, category] = key.split(":");
      return { orgId: Number(orgId), category, days };
    })
    .sort((a, b) => a.orgId - b.orgId || String(a.category).localeCompare(String(b.category)));
}

/**
 * The policy in force on each day of the period, one line per day: the
 * windows the day's daily run applied, the overrides in force at the day's
 * end, and the legal holds in force at any time of the day. Reasons are
 * left out: people type names into them, and evidence carries none.
 */
export async function* policyDays(db: Db, p: Period) {
  const { from, to } = bounds(p);
  const org = p.orgId === null ? sql`` : sql`AND e.org_id = ${p.orgId}`;
  const windows = await db.$queryRaw<
    {
      day: string;
      run_id: string;
      plan_id: string;
      as_of: Date;
      plan: string | null;
      category: string | null;
      days: number | null;
      orgs: bigint;
      backups_kept: Record<BackupEnvironment, number>;
    }[]
  >(sql`
    SELECT to_char(pl.as_of AT TIME ZONE 'UTC', 'YYYY-MM-DD') AS day, r.id AS run_id, pl.id AS plan_id,
           pl.as_of, t.plan::text, e.category::text, e.window_days AS days, count(e.id) AS orgs,
           pl.scope->'backupKeep' AS backups_kept
    FROM purge_runs r JOIN purge_plans pl ON pl.id = r.plan_id
    LEFT JOIN plan_entries e ON e.plan_id = pl.id ${org}
    LEFT JOIN purge_tasks t ON t.run_id = r.id AND t.org_id = e.org_id AND t.category = e.category
    WHERE r.trigger = 'CRON' AND pl.as_of >= ${from} AND pl.as_of < ${to}
    GROUP BY 1, 2, 3, 4, 5, 6, 7, 9 ORDER BY 1, 5, 6, 7`);
  const current = await db.retentionOverride.findMany({
    where: p.orgId === null ? {} : { orgId: p.orgId },
  });
  const now = new Map<string, OverrideState>(
    current.map((o) => [`${o.orgId}:${o.category}`, o.days ?? "unlimited"]),
  );
  const changes = await overrideChanges(db, p, from);
  const holds = await db.legalHold.findMany({
    where: {
      placedAt: { lt: to },
      OR: [{ releasedAt: null }, { releasedAt: { gte: from } }],
      ...(p.orgId === null ? {} : { orgId: p.orgId }),
    },
    orderBy: { id: "asc" },
    select: {
      id: true,
      scope: true,
      orgId: true,
      incidentId: true,
      artifactId: true,
      placedAt: true,
      releasedAt: true,
    },
  });
  for (const day of days(p)) {
    const start = new Date(`${day}T00:00:00Z`);
    const end = new Date(start.getTime() + DAY_MS);
    const ofDay = windows.filter((w) => w.day === day);
    const runs = [...new Map(ofDay.map((w) => [w.run_id, w])).values()];
    yield {
      day,
      dailyRuns: runs.map((r) => ({
        runId: r.run_id,
        planId: r.plan_id,
        asOf: r.as_of.toISOString(),
      })),
      windows: ofDay
        .filter((w) => w.category !== null)
        .map((w) =>
          w.category === "BACKUPS"
            ? {
                plan: w.plan,
                category: w.category,
                rule: BACKUPS_RULE,
                kept: w.backups_kept,
                orgs: Number(w.orgs),
              }
            : {
                plan: w.plan,
                category: w.category,
                days: w.days ?? "unlimited",
                orgs: Number(w.orgs),
              },
        ),
      overrides: overridesAt(end, now, changes),
      holds: holds
        .filter((h) => h.placedAt < end && (!h.releasedAt || h.releasedAt >= start))
        .map((h) => ({
          id: h.id,
          scope: h.scope,
          orgId: h.orgId,
          incidentId: h.incidentId,
          artifactId: h.artifactId,
          placedAt: h.placedAt.toISOString(),
          releasedAt: h.releasedAt?.toISOString() ?? null,
        })),
      windowsFrom:
        runs.length > 0
          ? runs.map((r) => `the daily run ${r.run_id}'s plan ${r.plan_id}`).join("; ")
          : "not recorded: no daily run planned on this day",
    };
  }
}
