import type { Db } from "../db";
import { AppError } from "../errors";
import type { DriftStatus, Plan } from "../generated/prisma/enums";
import { sql } from "../retention/sql";

/** Each environment with its latest retained drift check: the badge and "checked X ago". */
export async function listEnvironments(
  db: Db,
  filter: { search?: string; status?: DriftStatus; offset: number; limit: number },
) {
  const search = filter.search ? `%${filter.search}%` : null;
  const rows = await db.$queryRaw<
    {
      id: number;
      name: string;
      org_id: number;
      org_name: string;
      plan: Plan;
      status: DriftStatus | null;
      checked_at: Date | null;
      modified_count: number | null;
      not_in_git_count: number | null;
      unknown_count: number | null;
      total: number;
    }[]
  >(sql`
    SELECT e.id, e.name, o.id AS org_id, o.name AS org_name, o.plan, c.status, c.checked_at,
           c.modified_count, c.not_in_git_count, c.unknown_count, count(*) OVER ()::int AS total
    FROM environments e
    JOIN organizations o ON o.id = e.org_id
    LEFT JOIN LATERAL (
      SELECT status, checked_at, modified_count, not_in_git_count, unknown_count FROM drift_checks d
      WHERE d.environment_id = e.id ORDER BY d.checked_at DESC, d.id DESC LIMIT 1
    ) c ON TRUE
    WHERE (${search}::text IS NULL OR o.name ILIKE ${search} OR e.name ILIKE ${search})
      AND (${filter.status ?? null}::text IS NULL OR c.status::text = ${filter.status ?? null})
    ORDER BY o.name, e.name
    OFFSET ${filter.offset} LIMIT ${filter.limit}`);
  return {
    total: rows[0]?.total ?? 0,
    environments: rows.map((r) => ({
      id: r.id,
      name: r.name,
      orgId: r.org_id,
      orgName: r.org_name,
      plan: r.plan,
      status: r.status,
      checkedAt: r.checked_at,
      modified: r.modified_count ?? 0,
      notInGit: r.not_in_git_count ?? 0,
      unknown: r.unknown_count ?? 0,
    })),
  };
}

/** How many of an environment's latest checks its page lists. */
const RECENT_CHECKS = 20;

/**
 * One environment: its org, its latest retained checks, how many it keeps,
 * and how many of its org's drift checks purges took, and when.
 */
export async function environmentDetail(db: Db, id: number) {
  const environment = await db.environment.findUnique({
    where: { id },
    include: { org: { select: { id: true, name: true, plan: true } } },
  });
  if (!environment) throw new AppError("NOT_FOUND", `No environment ${id}.`);
  const [checks, retained, purged] = await Promise.all([
    db.driftCheck.findMany({
      where: { environmentId: id },
      orderBy: [{ checkedAt: "desc" }, { id: "desc" }],
      take: RECENT_CHECKS,
    }),
    db.driftCheck.count({ where: { environmentId: id } }),
    // Per org, from its tasks: a note per environment would cost every purge batch.
    db.purgeTask.aggregate({
      where: {
        orgId: environment.orgId,
        category: "DRIFT_CHECKS",
        deleted: { gt: 0 },
        finishedAt: { not: null },
      },
      _sum: { deleted: true },
      _min: { finishedAt: true },
      _max: { finishedAt: true },
    }),
  ]);
  const { _sum: sum, _min: min, _max: max } = purged;
  return {
    id: environment.id,
    name: environment.name,
    org: environment.org,
    retained,
    checks: checks.map((c) => ({
      id: c.id,
      status: c.status,
      checkedAt: c.checkedAt,
      modified: c.modifiedCount,
      notInGit: c.notInGitCount,
      unknown: c.unknownCount,
    })),
    orgChecksPurged:
      sum.deleted && min.finishedAt && max.finishedAt
        ? { items: sum.deleted, firstPurgedAt: min.finishedAt, lastPurgedAt: max.finishedAt }
        : null,
  };
}
