import { Prisma } from "../generated/prisma/client";

export type Sql = Prisma.Sql;
export const sql = Prisma.sql;
export const empty = Prisma.empty;
export const raw = Prisma.raw;

/** A Prisma client or an interactive transaction on it. */
export type Tx = Prisma.TransactionClient;

/** GDPR erasure takes everything: a cutoff no item can be younger than. */
export const END_OF_TIME = new Date("9999-12-31T00:00:00Z");

/** One org's frozen window: rows aged before `cutoff` are eligible. */
export type OrgWindow = { orgId: number; days: number; cutoff: Date };

/**
 * The relation (org_id, days, cutoff) that every category joins its rows
 * with. Orgs under an active legal hold drop out here, so no category can
 * forget them; the check runs again inside every purge batch.
 *
 * org_id comes from the organizations table, not from the array: the
 * planner then knows it is unique and how rows spread over it, so a
 * fleet-wide query hashes these few thousand windows and scans the big
 * table once, instead of sorting millions of rows to merge-join them.
 * Fleet-wide callers must not MATERIALIZE it, which would hide those
 * statistics. A purge batch, whose few windows would otherwise be looked up
 * again for each of its rows, does.
 */
export function windowsRelation(windows: OrgWindow[]): Sql {
  const orgIds = windows.map((w) => w.orgId);
  const days = windows.map((w) => w.days);
  const cutoffs = windows.map((w) => w.cutoff.toISOString());
  return sql`(
    SELECT o.id AS org_id, u.days, u.cutoff
    FROM unnest(${orgIds}::int[], ${days}::int[], ${cutoffs}::timestamptz[]) AS u(org_id, days, cutoff)
    JOIN organizations o ON o.id = u.org_id
    WHERE NOT EXISTS (
      SELECT 1 FROM legal_holds h
      WHERE h.org_id = u.org_id AND h.scope = 'ORG' AND h.released_at IS NULL
    )
  )`;
}

/** An int[] of these ids, for `EligibleQuery.only`. */
export const idArray = (ids: number[]): Sql => sql`${ids}::int[]`;

/** `AND <column> = ANY(ids)` when a batch is being re-checked, nothing otherwise. */
export const onlyIds = (column: Sql, ids: Sql | undefined): Sql =>
  ids ? sql`AND ${column} = ANY(${ids})` : empty;
