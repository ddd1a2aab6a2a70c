import type { Db } from "../db";
import { ARCHIVING_CATEGORIES as ARCHIVING } from "../retention/categories/actions";
import { sql } from "../retention/sql";

/** Entries whose run's tasks say what they did. */
const RUN_ACTIONS = new Set(["purge.confirmed", "purge.finished"]);

/**
 * What the run an entry names took on (confirmed) or did (finished), from
 * its tasks: for one org when the log is narrowed to it (a fleet run's
 * result for that org), else for the whole run.
 */
export type RunOutcome = {
  orgs: number;
  orgName: string | null;
  categories: number;
  eligible: bigint;
  deleted: bigint;
  archived: bigint;
  skipped: bigint;
  failed: bigint;
  bytesFreed: bigint;
};

type Row = Omit<RunOutcome, "orgName"> & { run_id: string; org_name: string | null };

/** The outcome of each run entry among `entries`, by entry id. */
export async function runOutcomes(
  db: Db,
  entries: { id: bigint; action: string; target: string | null }[],
  orgId: number | null,
) {
  const runOf = new Map<bigint, string>();
  for (const e of entries)
    if (RUN_ACTIONS.has(e.action) && e.target?.startsWith("run:"))
      runOf.set(e.id, e.target.slice(4));
  if (runOf.size === 0) return new Map<bigint, RunOutcome>();
  const rows = await db.$queryRaw<Row[]>(sql`
    SELECT t.run_id,
           count(DISTINCT t.org_id)::int AS orgs,
           CASE WHEN count(DISTINCT t.org_id) = 1 THEN min(o.name) END AS org_name,
           count(DISTINCT t.category)::int AS categories,
           coalesce(sum(t.eligible), 0)::bigint AS eligible,
           coalesce(sum(t.deleted) FILTER (WHERE NOT t.category::text = ANY(${ARCHIVING}::text[])), 0)::bigint AS deleted,
           coalesce(sum(t.deleted) FILTER (WHERE t.category::text = ANY(${ARCHIVING}::text[])), 0)::bigint AS archived,
           coalesce(sum(t.skipped), 0)::bigint AS skipped,
           coalesce(sum(t.failed), 0)::bigint AS failed,
           coalesce(sum(t.bytes_freed), 0)::bigint AS "bytesFreed"
    FROM purge_tasks t JOIN organizations o ON o.id = t.org_id
    WHERE t.run_id = ANY(${[...new Set(runOf.values())]}::text[])
      AND (${orgId}::int IS NULL OR t.org_id = ${orgId}::int)
    GROUP BY t.run_id`);
  const byRun = new Map(
    rows.map(({ run_id, org_name, ...r }) => [run_id, { ...r, orgName: org_name }]),
  );
  const outcomes = new Map<bigint, RunOutcome>();
  for (const [entryId, runId] of runOf) {
    const outcome = byRun.get(runId);
    if (outcome) outcomes.set(entryId, outcome);
  }
  return outcomes;
}
