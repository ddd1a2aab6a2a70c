import { auditActor } from "../retention/evidence/actor-label";
import { z } from "zod";
import type { Db } from "../db";
import type { ErasureScope, ErasureStatus, HoldScope } from "../generated/prisma/enums";
import { RetentionCategory } from "../generated/prisma/enums";
import { scopeView } from "../retention/erasure/scope";
import { sql } from "../retention/sql";
import { inWindow, newestFirst, RANKS, type HistoryWindow } from "./history-keyset";

type HoldRow = {
  id: number;
  scope: HoldScope;
  incidentId: number | null;
  artifactId: number | null;
  reason: string;
  at: Date;
  byId: number;
};

/** Legal holds placed on the org (or on one of its incidents or artifacts), or released. */
export async function holdEntries(db: Db, w: HistoryWindow, event: "placed" | "released") {
  const [at, by, rank] =
    event === "placed"
      ? [sql`placed_at`, sql`placed_by_id`, RANKS.holdPlaced]
      : [sql`released_at`, sql`released_by_id`, RANKS.holdReleased];
  const holds = await db.$queryRaw<HoldRow[]>(sql`
    SELECT id, scope, incident_id AS "incidentId", artifact_id AS "artifactId", reason,
           ${at} AS at, ${by} AS "byId"
    FROM legal_holds
    WHERE org_id = ${w.orgId} AND ${at} IS NOT NULL ${inWindow(at, sql`id`, "int", rank, w)}
    ${newestFirst(at, sql`id`, "int")}
    LIMIT ${w.limit}`);
  return holds.map(({ at, byId, ...hold }) => ({
    place: { at, rank, id: String(hold.id) },
    who: { kind: "user" as const, userId: byId },
    entry: { kind: "hold" as const, event, ...hold },
  }));
}

/** An override's days as its audit entry records them: a number, "unlimited", or "plan" (none). */
const days = z.union([z.number(), z.literal("unlimited"), z.literal("plan")]);
const setDetails = z.object({ category: z.enum(RetentionCategory), from: days, to: days });
const clearedDetails = z.object({ category: z.enum(RetentionCategory), was: days });

/**
 * Overrides set, changed or removed. The overrides table keeps only the
 * current one, so the audit log, which records each change, is the record.
 */
export async function overrideEntries(db: Db, w: HistoryWindow) {
  const rows = await db.$queryRaw<
    {
      id: bigint;
      at: Date;
      action: string;
      actorId: number | null;
      actor: string;
      details: unknown;
    }[]
  >(sql`
    SELECT id, at, action, actor_id AS "actorId", actor, details
    FROM audit_log
    WHERE org_id = ${w.orgId} AND action IN ('policy.override.set', 'policy.override.cleared')
      ${inWindow(sql`at`, sql`id`, "int", RANKS.override, w)}
    ${newestFirst(sql`at`, sql`id`, "int")}
    LIMIT ${w.limit}`);
  return rows.flatMap((row) => {
    const change = overrideChange(row.details);
    if (!change) return [];
    return [
      {
        place: { at: row.at, rank: RANKS.override, id: row.id.toString() },
        who: auditActor(row),
        entry: { kind: "override" as const, ...change },
      },
    ];
  });
}

function overrideChange(details: unknown) {
  const set = setDetails.safeParse(details);
  if (set.success)
    return {
      event: set.data.from === "plan" ? ("set" as const) : ("changed" as const),
      category: set.data.category,
      from: set.data.from,
      to: set.data.to,
    };
  const cleared = clearedDetails.safeParse(details);
  if (cleared.success)
    return {
      event: "removed" as const,
      category: cleared.data.category,
      from: cleared.data.was,
      to: "plan" as const,
    };
  return null;
}

type ErasureRow = {
  id: number;
  scope: ErasureScope;
  scopeMemberId: number | null;
  scopeMemberExternalId: string | null;
  memberId: number | null;
  status: ErasureStatus;
  runId: string | null;
  at: Date;
  byId: number;
  /** The entry's own id: the request's, or its decision's audit entry's. */
  placeId: string;
  rejected: boolean;
};

const REQUEST_COLUMNS = sql`r.id, r.scope, r.scope_member_id AS "scopeMemberId",
  r.scope_member_external_id AS "scopeMemberExternalId", r.member_id AS "memberId", r.status`;

/**
 * Each request of the org, when it was made; each decision on one, from the
 * audit log: a request approved again after an incomplete run keeps only its
 * latest decision on its own row, and both approvals are the org's history.
 */
function erasureRows(w: HistoryWindow, event: "requested" | "decided") {
  if (event === "requested")
    return sql`
      SELECT ${REQUEST_COLUMNS}, r.run_id AS "runId", r.requested_at AS at,
             r.requested_by_id AS "byId", r.id::text AS "placeId", false AS rejected
      FROM erasure_requests r
      WHERE r.org_id = ${w.orgId} ${inWindow(sql`r.requested_at`, sql`r.id`, "int", RANKS.erasureRequested, w)}
      ${newestFirst(sql`r.requested_at`, sql`r.id`, "int")}
      LIMIT ${w.limit}`;
  return sql`
    SELECT ${REQUEST_COLUMNS},
           (SELECT run.id FROM purge_runs run WHERE run.plan_id = a.details->>'plan') AS "runId",
           a.at, a.actor_id AS "byId", a.id::text AS "placeId", a.action = 'erasure.rejected' AS rejected
    FROM audit_log a JOIN erasure_requests r ON a.target = 'erasure:' || r.id
    WHERE a.org_id = ${w.orgId} AND a.action IN ('erasure.approved', 'erasure.rejected')
      ${inWindow(sql`a.at`, sql`a.id`, "int", RANKS.erasureDecided, w)}
    ${newestFirst(sql`a.at`, sql`a.id`, "int")}
    LIMIT ${w.limit}`;
}

/** GDPR erasures of the org or of one member: requested, then approved (again) or rejected. Its run is a run entry. */
export async function erasureEntries(db: Db, w: HistoryWindow, event: "requested" | "decided") {
  const rank = event === "requested" ? RANKS.erasureRequested : RANKS.erasureDecided;
  const rows = await db.$queryRaw<ErasureRow[]>(erasureRows(w, event));
  return rows.map((row) => ({
    place: { at: row.at, rank, id: row.placeId },
    who: { kind: "user" as const, userId: row.byId },
    entry: {
      kind: "erasure" as const,
      event:
        event === "requested"
          ? ("requested" as const)
          : row.rejected
            ? ("rejected" as const)
            : ("approved" as const),
      requestId: row.id,
      scope: scopeView(row),
      status: row.status,
      runId: row.runId,
    },
  }));
}
