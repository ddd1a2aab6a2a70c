import type { Db } from "../db";
import type { PinScope } from "../generated/prisma/enums";
import { sql } from "../retention/sql";
import { auditActor } from "../retention/evidence/actor-label";
import { inWindow, newestFirst, RANKS, type HistoryWindow } from "./history-keyset";

const EVENTS = {
  "pin.placed": "placed",
  "pin.changed": "changed",
  "pin.removed": "removed",
  "pin.ended": "ended",
} as const;

type PinRow = {
  id: bigint;
  at: Date;
  action: keyof typeof EVENTS;
  actorId: number | null;
  actor: string;
  details: { until?: string; from?: string; to?: string; erasure?: number };
  pinId: number;
  scope: PinScope;
  incidentId: number | null;
  artifactId: number | null;
  reason: string;
};

/**
 * Pins placed, moved to another date, removed early, or ended by a GDPR
 * erasure that took their item, from the audit log, which records each
 * change (the pin row keeps only its current date). A lapse is no event:
 * the pin's date says it.
 */
export async function pinEntries(db: Db, w: HistoryWindow) {
  const rows = await db.$queryRaw<PinRow[]>(sql`
    SELECT a.id, a.at, a.action, a.actor_id AS "actorId", a.actor, a.details,
           p.id AS "pinId", p.scope, p.incident_id AS "incidentId", p.artifact_id AS "artifactId",
           p.reason
    FROM audit_log a JOIN pins p ON a.target = 'pin:' || p.id
    WHERE a.org_id = ${w.orgId} AND a.action IN ('pin.placed', 'pin.changed', 'pin.removed', 'pin.ended')
      ${inWindow(sql`a.at`, sql`a.id`, "int", RANKS.pin, w)}
    ${newestFirst(sql`a.at`, sql`a.id`, "int")}
    LIMIT ${w.limit}`);
  return rows.map((row) => ({
    place: { at: row.at, rank: RANKS.pin, id: row.id.toString() },
    who: auditActor(row),
    entry: {
      kind: "pin" as const,
      event: EVENTS[row.action],
      id: row.pinId,
      scope: row.scope,
      incidentId: row.incidentId,
      artifactId: row.artifactId,
      until: row.details.to ?? row.details.until ?? "",
      from: row.details.from ?? null,
      erasureId: row.details.erasure ?? null,
      reason: row.reason,
    },
  }));
}
