import type { Db } from "../db";
import type { Prisma } from "../generated/prisma/client";
import { actorLabels, auditActor } from "../retention/evidence/actor-label";
import { entriesConcerning } from "../retention/evidence/audit-log";
import { runOutcomes } from "./audit-outcomes";

export type AuditFilter = {
  /** Entries whose action starts with this ("purge.", "hold.placed"). */
  action?: string;
  /** Entries that concern this org: naming it, or naming a run (or its plan) that worked it. */
  orgId?: number;
  /** "user:12" (the person, through the console or their tokens), "token:5", or "system". */
  actor?: string;
  from?: Date;
  to?: Date;
  offset: number;
  limit: number;
};

/** A person's entries, their tokens' included; any other text matches the actor as written. */
function byActor(actor: string): Prisma.AuditEntryWhereInput {
  // Nine digits at most: a user id is a 32-bit int, and a longer one names nobody.
  const user = /^user:([1-9]\d{0,8})$/.exec(actor);
  return user ? { actorId: Number(user[1]) } : { actor };
}

/** The audit log, newest first, filtered; the log itself is never changed. */
export async function listAudit(db: Db, filter: AuditFilter) {
  const where: Prisma.AuditEntryWhereInput = {
    AND: [
      filter.action ? { action: { startsWith: filter.action } } : {},
      filter.orgId ? await entriesConcerning(db, filter.orgId) : {},
      filter.actor ? byActor(filter.actor) : {},
      filter.from || filter.to ? { at: { gte: filter.from, lte: filter.to } } : {},
    ],
  };
  const [total, entries] = await Promise.all([
    db.auditEntry.count({ where }),
    db.auditEntry.findMany({
      where,
      orderBy: { id: "desc" },
      skip: filter.offset,
      take: filter.limit,
    }),
  ]);
  const actors = entries.map(auditActor);
  const orgIds = new Set(entries.flatMap((e) => (e.orgId ? [e.orgId] : [])));
  if (filter.orgId) orgIds.add(filter.orgId);
  const [label, orgs, outcomes] = await Promise.all([
    actorLabels(db, actors),
    db.organization.findMany({
      where: { id: { in: [...orgIds] } },
      select: { id: true, name: true },
    }),
    runOutcomes(db, entries, filter.orgId ?? null),
  ]);
  const orgName = new Map(orgs.map((o) => [o.id, o.name]));
  return {
    total,
    /** The org the list is narrowed to, by name, for its heading. */
    orgName: filter.orgId ? (orgName.get(filter.orgId) ?? `org ${filter.orgId}`) : null,
    entries: entries.map((e, i) => ({
      ...e,
      id: e.id.toString(),
      actorLabel: label(actors[i] ?? { kind: "system" }),
      orgName: e.orgId ? (orgName.get(e.orgId) ?? `org ${e.orgId}`) : null,
      outcome: outcomes.get(e.id) ?? null,
    })),
  };
}

/** Who the log's filter can name: its people (a person's entries include their tokens'), and the system. */
export async function auditActorChoices(db: Db) {
  const users = await db.user.findMany({
    select: { id: true, name: true },
    orderBy: { name: "asc" },
  });
  return [
    ...users.map((u) => ({ value: `user:${u.id}`, label: u.name })),
    { value: "system", label: "system and daily schedule" },
  ];
}
