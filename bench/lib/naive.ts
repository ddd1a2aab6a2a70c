import type { Db } from "../../server/db";
import type { Plan, RetentionCategory } from "../../server/generated/prisma/enums";
import { CATEGORIES } from "../../server/retention/categories";
import {
  BACKUP_KEEP_DEFAULTS,
  CONVERSATION_CONTEXT_TYPES,
  FINISHED_TASK_STATES,
  PRESERVED_MEMORY_TYPES,
} from "../../server/retention/policy/defaults";
import { cutoffFor, effectiveWindow } from "../../server/retention/policy/effective-window";
import type { Tx } from "../../server/retention/sql";
import type { OverrideLookup } from "../../server/retention/policy/org-windows";

/** What a first cleanup script keeps per expired row: enough to delete it and report it. */
type Found = { itemId: number; bytes: bigint };

class Rollback extends Error {}

/** A row's size as a script would estimate it: its JSON. */
const sizeOf = (row: object) =>
  BigInt(
    Buffer.byteLength(
      JSON.stringify(row, (_k, v: unknown) => (typeof v === "bigint" ? String(v) : v)),
    ),
  );

const holdOn = async (tx: Tx, where: { artifactId?: number; incidentId?: number }) =>
  (await tx.legalHold.findFirst({
    where: { ...where, releasedAt: null },
    select: { id: true },
  })) !== null;

/**
 * The naive way, per category: list the org's expired rows through the ORM,
 * then decide on each row with its own query (a hold on it? a newer check?
 * its incident still open?), as a loop over `findMany` results does.
 */
async function expiredRows(
  tx: Tx,
  category: RetentionCategory,
  orgId: number,
  cutoff: Date,
): Promise<Found[]> {
  const found: Found[] = [];
  const keep = (row: { id: number }, bytes?: bigint) =>
    found.push({ itemId: row.id, bytes: bytes ?? sizeOf(row) });
  switch (category) {
    case "ARTIFACTS":
      for (const a of await tx.artifact.findMany({ where: { orgId, createdAt: { lt: cutoff } } }))
        if (!(await holdOn(tx, { artifactId: a.id }))) keep(a, a.bytes);
      break;
    case "DRIFT_CHECKS":
      for (const c of await tx.driftCheck.findMany({
        where: { orgId, checkedAt: { lt: cutoff } },
      })) {
        const newer = await tx.driftCheck.findFirst({
          where: {
            environmentId: c.environmentId,
            OR: [{ checkedAt: { gt: c.checkedAt } }, { checkedAt: c.checkedAt, id: { gt: c.id } }],
          },
          select: { id: true },
        });
        if (newer) keep(c);
      }
      break;
    case "INCIDENT_PAYLOADS":
      for (const i of await tx.incident.findMany({
        where: { orgId, status: "CLOSED", closedAt: { lt: cutoff } },
        include: { payload: true },
      }))
        if (i.payload && !(await holdOn(tx, { incidentId: i.id }))) keep(i, i.payload.bytes);
      break;
    case "APPROVALS":
      for (const a of await tx.approval.findMany({
        where: { orgId, createdAt: { lt: cutoff } },
        include: { incident: true },
      }))
        if (a.incident.status === "CLOSED" && !(await holdOn(tx, { incidentId: a.incidentId })))
          keep(a);
      break;
    case "IMAGE_ANALYSES":
      for (const a of await tx.imageAnalysis.findMany({
        where: { orgId, createdAt: { lt: cutoff } },
      }))
        if (a.artifactId === null || !(await holdOn(tx, { artifactId: a.artifactId }))) keep(a);
      break;
    case "CONVERSATION_CONTEXT":
      for (const m of await tx.memoryItem.findMany({
        where: { orgId, createdAt: { lt: cutoff }, type: { in: CONVERSATION_CONTEXT_TYPES } },
      }))
        keep(m);
      break;
    case "PROJECT_MEMORY":
      for (const m of await tx.memoryItem.findMany({
        where: {
          orgId,
          createdAt: { lt: cutoff },
          type: { notIn: [...CONVERSATION_CONTEXT_TYPES, ...PRESERVED_MEMORY_TYPES] },
        },
      }))
        keep(m);
      break;
    case "SCENE_ITERATIONS":
      for (const s of await tx.sceneIteration.findMany({
        where: { orgId, createdAt: { lt: cutoff } },
      }))
        keep(s);
      break;
    case "TASK_QUEUE":
      for (const t of await tx.taskQueueEntry.findMany({
        where: { orgId, finishedAt: { lt: cutoff }, status: { in: [...FINISHED_TASK_STATES] } },
      }))
        keep(t);
      break;
    case "ERRORS":
      for (const e of await tx.capturedError.findMany({
        where: { orgId, resolvedAt: { lt: cutoff } },
      }))
        keep(e);
      break;
    case "PROMPTS":
      for (const p of await tx.prompt.findMany({
        where: { orgId, createdAt: { lt: cutoff }, archivedAt: null },
      }))
        keep(p, 0n);
      break;
    default:
      break;
  }
  return found;
}

/** Backups: each environment's backups newest first; all but the newest N go. */
async function displacedBackups(tx: Tx, orgId: number): Promise<Found[]> {
  const found: Found[] = [];
  for (const env of await tx.environment.findMany({ where: { orgId } })) {
    const keep =
      (BACKUP_KEEP_DEFAULTS as Record<string, number>)[env.name] ?? BACKUP_KEEP_DEFAULTS.other;
    const backups = await tx.backup.findMany({
      where: { environmentId: env.id },
      orderBy: [{ createdAt: "desc" }, { id: "desc" }],
    });
    for (const b of backups.slice(keep)) found.push({ itemId: b.id, bytes: b.bytes });
  }
  return found;
}

export type NaiveTotals = { items: number; bytes: bigint };

/**
 * One org's dry run the naive way: its own transaction (rolled back at the
 * end, so it changes nothing), an org-hold check, then every category's
 * expired rows, each written to a manifest row by row.
 */
export async function naivePreviewOrg(
  db: Db,
  org: { id: number; plan: Plan },
  overrides: OverrideLookup,
  asOf: Date,
  totals: NaiveTotals,
) {
  await db
    .$transaction(
      async (tx) => {
        const held = await tx.legalHold.findFirst({
          where: { orgId: org.id, scope: "ORG", releasedAt: null },
        });
        if (held) throw new Rollback();
        const plan = await tx.purgePlan.create({
          data: {
            trigger: "OPERATOR",
            scope: {},
            asOf,
            expiresAt: asOf,
            manifestHash: "",
            guardrails: {},
          },
        });
        for (const category of CATEGORIES) {
          if (category.kind !== "rows") continue;
          let rows: Found[];
          let days = 0;
          if (category.keepsNewest) rows = await displacedBackups(tx, org.id);
          else {
            const window = effectiveWindow(
              org.plan,
              category.key,
              {},
              overrides(org.id, category.key),
            );
            if (!window || window.days === null) continue;
            days = window.days;
            rows = await expiredRows(tx, category.key, org.id, cutoffFor(asOf, days));
          }
          for (const row of rows) {
            await tx.planItem.create({
              data: {
                planId: plan.id,
                orgId: org.id,
                category: category.key,
                itemId: row.itemId,
                bytes: row.bytes,
                eligibleAt: asOf,
              },
            });
            totals.items++;
            totals.bytes += row.bytes;
          }
        }
        throw new Rollback();
      },
      { timeout: 60 * 60_000, maxWait: 60_000 },
    )
    .catch((error: unknown) => {
      if (!(error instanceof Rollback)) throw error;
    });
}
