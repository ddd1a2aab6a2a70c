import type { Db } from "../../db";
import type { Prisma } from "../../generated/prisma/client";
import { sql, type Tx } from "../sql";
import { entryHash, GENESIS_HASH, type ChainedFields } from "./audit-chain";

/**
 * Who did it: a console user, one of their API tokens (`tokenId`: the entry
 * names the token, `actor_id` its owner), or the system (the daily schedule).
 */
export type Actor = { id: number; email?: string; tokenId?: number } | "system";

/** How the log names an actor: "system", "user:12", or "token:5" (owner in actor_id). */
export const actorKey = (actor: Actor) =>
  actor === "system" ? "system" : actor.tokenId ? `token:${actor.tokenId}` : `user:${actor.id}`;

export type AuditInput = {
  actor: Actor;
  action: string;
  orgId?: number | null;
  target?: string | null;
  /** Ids and counts only, never content (no PII in audit). */
  details?: Record<string, unknown>;
};

const AUDIT_LOCK = 0x4c455448; // "LETH": one appender at a time keeps the chain linear.

/**
 * Appends one entry inside `tx`. The advisory lock is released at commit,
 * so concurrent appends line up one after another on the chain.
 */
export async function appendAudit(tx: Tx, input: AuditInput) {
  await tx.$executeRaw(sql`SELECT pg_advisory_xact_lock(${AUDIT_LOCK})`);
  const [last] = await tx.$queryRaw<{ hash: string }[]>(
    sql`SELECT hash FROM audit_log ORDER BY id DESC LIMIT 1`,
  );
  const prevHash = last?.hash ?? GENESIS_HASH;
  const fields: ChainedFields = {
    // Postgres keeps microseconds; the chain hashes what a reader gets back.
    at: new Date(Math.floor(Date.now())),
    actorId: input.actor === "system" ? null : input.actor.id,
    actor: actorKey(input.actor),
    action: input.action,
    orgId: input.orgId ?? null,
    target: input.target ?? null,
    details: JSON.parse(
      JSON.stringify(input.details ?? {}, (_, v) => (typeof v === "bigint" ? v.toString() : v)),
    ),
  };
  const hash = entryHash(prevHash, fields);
  await tx.auditEntry.create({
    data: {
      at: fields.at,
      actorId: fields.actorId,
      actor: fields.actor,
      action: fields.action,
      orgId: fields.orgId,
      target: fields.target,
      details: fields.details as object,
      prevHash,
      hash,
    },
  });
}

/** Appends in a transaction of its own. */
export const audit = (db: Db, input: AuditInput) => db.$transaction((tx) => appendAudit(tx, input));

/**
 * An org's entries are those that name it and those of the runs that
 * worked it: a fleet run's entries name the run, whose tasks list its orgs,
 * rather than copying every org id into the log. An entry of such a run
 * that names another org (a restore or a review of that org's part) is that
 * org's alone: an org's evidence pack may be handed to its tenant.
 */
export async function entriesConcerning(
  db: Db,
  orgId: number,
): Promise<Prisma.AuditEntryWhereInput> {
  const runs = await db.purgeTask.findMany({
    where: { orgId },
    distinct: ["runId"],
    select: { runId: true, run: { select: { planId: true } } },
  });
  const targets = runs.flatMap((r) => [`run:${r.runId}`, `plan:${r.run.planId}`]);
  return {
    OR: [{ orgId }, ...(targets.length ? [{ target: { in: targets }, orgId: null }] : [])],
  };
}
