import type { Db } from "../server/db";
import type { RetentionCategory } from "../server/generated/prisma/enums";
import type { ObjectStore } from "../server/storage";
import {
  keepBackups,
  NOTICE_CATEGORIES,
  noticePeriodPromised,
  pastWindow,
  PRESERVED_TYPES,
  TEMPORARY_TYPES,
  type OracleWorld,
} from "./oracle";

export type Expectation = Record<RetentionCategory, Set<string>>;

export const ALL_CATEGORIES: RetentionCategory[] = [
  "ARTIFACTS",
  "DRIFT_CHECKS",
  "INCIDENT_PAYLOADS",
  "APPROVALS",
  "IMAGE_ANALYSES",
  "CONVERSATION_CONTEXT",
  "PROJECT_MEMORY",
  "SCENE_ITERATIONS",
  "BACKUPS",
  "TASK_QUEUE",
  "ERRORS",
  "PROMPTS",
  "ORPHAN_OBJECTS",
];

export const emptySets = (): Expectation =>
  Object.fromEntries(ALL_CATEGORIES.map((c) => [c, new Set<string>()])) as Expectation;

/** For each row, how many rows of its group are newer (later `at`, or same `at` and higher id). */
function newerInGroup<T extends { id: number; at: Date }>(rows: T[], group: (row: T) => number) {
  const groups = new Map<number, T[]>();
  for (const row of rows) {
    const members = groups.get(group(row));
    if (members) members.push(row);
    else groups.set(group(row), [row]);
  }
  const newer = new Map<number, number>();
  for (const members of groups.values()) {
    members.sort((a, b) => b.at.getTime() - a.at.getTime() || b.id - a.id);
    members.forEach((row, rank) => newer.set(row.id, rank));
  }
  return newer;
}

const DAY = 86_400_000;

/**
 * PRODUCT.md's notice period: where the plan promises one and the org hears
 * (notice settings with a channel), an item of a category notices tell of
 * goes only once a notice told it (its range covers the item's age; told =
 * a delivery SENT, the first one) at least that notice's lead days before now.
 */
async function promisedByNotices(db: Db, world: OracleWorld) {
  const orgIds = world.orgs.map((o) => o.id);
  const settings = await db.noticeSettings.findMany({ where: { orgId: { in: orgIds } } });
  const hears = new Set(
    settings.filter((s) => s.webhookUrl || s.recipients.length > 0).map((s) => s.orgId),
  );
  const notices = await db.notice.findMany({
    where: { orgId: { in: orgIds } },
    include: { categories: true, deliveries: true },
  });
  const ripe = notices.filter((n) => {
    const sent = n.deliveries.flatMap((d) => (d.status === "SENT" && d.sentAt ? [d.sentAt] : []));
    if (sent.length === 0) return false;
    const told = Math.min(...sent.map((d) => d.getTime()));
    return told + n.leadDays * DAY <= world.now.getTime();
  });
  const ranges = ripe.flatMap((n) => n.categories);
  return (org: { id: number; plan: string }, category: RetentionCategory, at: Date) =>
    !noticePeriodPromised(world, org.plan) ||
    !hears.has(org.id) ||
    !NOTICE_CATEGORIES.includes(category) ||
    ranges.some(
      (r) =>
        r.orgId === org.id &&
        r.category === category &&
        (r.watermarkFrom === null || at >= r.watermarkFrom) &&
        at < r.watermarkTo,
    );
}

/**
 * What PRODUCT.md's rules say a purge of `world.orgs` removes, per
 * category, computed in memory from plainly loaded rows: no SQL predicate
 * of the engine is reused. Item ids as strings (object keys for orphans).
 */
export async function expectedDeletions(
  db: Db,
  store: ObjectStore,
  world: OracleWorld,
): Promise<Expectation> {
  const orgIds = world.orgs.map((o) => o.id);
  const scope = { where: { orgId: { in: orgIds } } };
  const out = emptySets();
  const orgOf = new Map(world.orgs.map((o) => [o.id, o]));
  const free = (orgId: number) => !orgOf.get(orgId)?.held;
  const holds = await db.legalHold.findMany({ where: { orgId: { in: orgIds }, releasedAt: null } });
  // A pin keeps what a hold on its item keeps, while its date is ahead.
  const pins = await db.pin.findMany({ where: { orgId: { in: orgIds }, removedAt: null } });
  const inForce = pins.filter((p) => p.pinnedUntil.getTime() > world.now.getTime());
  const heldArtifacts = new Set([...holds, ...inForce].map((h) => h.artifactId).filter(Boolean));
  const heldIncidents = new Set([...holds, ...inForce].map((h) => h.incidentId).filter(Boolean));
  const told = await promisedByNotices(db, world);
  const past = (orgId: number, category: RetentionCategory, at: Date | null) => {
    const org = orgOf.get(orgId);
    return (
      !!org &&
      free(orgId) &&
      pastWindow(world, org, category, at) &&
      at !== null &&
      told(org, category, at)
    );
  };
  const add = (category: RetentionCategory, id: number | string) => out[category].add(String(id));

  for (const a of await db.artifact.findMany(scope)) {
    if (!heldArtifacts.has(a.id) && past(a.orgId, "ARTIFACTS", a.createdAt)) add("ARTIFACTS", a.id);
  }
  const checks = await db.driftCheck.findMany(scope);
  const newerChecks = newerInGroup(
    checks.map((c) => ({ ...c, at: c.checkedAt })),
    (c) => c.environmentId,
  );
  for (const c of checks) {
    if ((newerChecks.get(c.id) ?? 0) > 0 && past(c.orgId, "DRIFT_CHECKS", c.checkedAt))
      add("DRIFT_CHECKS", c.id);
  }
  const incidents = await db.incident.findMany({ ...scope, include: { payload: true } });
  const incidentById = new Map(incidents.map((i) => [i.id, i]));
  for (const i of incidents) {
    const closedAndFree = i.status === "CLOSED" && !heldIncidents.has(i.id);
    if (i.payload && closedAndFree && past(i.orgId, "INCIDENT_PAYLOADS", i.closedAt))
      add("INCIDENT_PAYLOADS", i.id);
  }
  for (const a of await db.approval.findMany(scope)) {
    const incident = incidentById.get(a.incidentId);
    if (
      incident?.status === "CLOSED" &&
      !heldIncidents.has(incident.id) &&
      past(a.orgId, "APPROVALS", a.createdAt)
    )
      add("APPROVALS", a.id);
  }
  for (const x of await db.imageAnalysis.findMany(scope)) {
    const artifactHeld = x.artifactId !== null && heldArtifacts.has(x.artifactId);
    if (!artifactHeld && past(x.orgId, "IMAGE_ANALYSES", x.createdAt)) add("IMAGE_ANALYSES", x.id);
  }
  for (const m of await db.memoryItem.findMany(scope)) {
    if (TEMPORARY_TYPES.includes(m.type)) {
      if (past(m.orgId, "CONVERSATION_CONTEXT", m.createdAt)) add("CONVERSATION_CONTEXT", m.id);
    } else if (!PRESERVED_TYPES.includes(m.type) && past(m.orgId, "PROJECT_MEMORY", m.createdAt)) {
      add("PROJECT_MEMORY", m.id);
    }
  }
  for (const s of await db.sceneIteration.findMany(scope)) {
    if (past(s.orgId, "SCENE_ITERATIONS", s.createdAt)) add("SCENE_ITERATIONS", s.id);
  }
  const backups = await db.backup.findMany({ ...scope, include: { environment: true } });
  const newerBackups = newerInGroup(
    backups.map((b) => ({ ...b, at: b.createdAt })),
    (b) => b.environmentId,
  );
  for (const x of backups) {
    if (free(x.orgId) && (newerBackups.get(x.id) ?? 0) >= keepBackups(world, x.environment.name))
      add("BACKUPS", x.id);
  }
  for (const x of await db.taskQueueEntry.findMany(scope)) {
    const finished = ["COMPLETED", "CANCELLED", "FAILED"].includes(x.status);
    if (finished && past(x.orgId, "TASK_QUEUE", x.finishedAt)) add("TASK_QUEUE", x.id);
  }
  for (const x of await db.capturedError.findMany(scope)) {
    if (x.resolvedAt && past(x.orgId, "ERRORS", x.resolvedAt)) add("ERRORS", x.id);
  }
  for (const x of await db.prompt.findMany(scope)) {
    if (!x.archivedAt && past(x.orgId, "PROMPTS", x.createdAt)) add("PROMPTS", x.id);
  }
  const referenced = new Set([
    ...(await db.artifact.findMany({ select: { objectKey: true } })).map((a) => a.objectKey),
    ...(await db.backup.findMany({ select: { objectKey: true } })).map((b) => b.objectKey),
    // An item waiting in its restore window still holds its object.
    ...(
      await db.keptItem.findMany({
        where: { restoredAt: null, objectKey: { not: null } },
        select: { objectKey: true },
      })
    ).map((k) => k.objectKey ?? ""),
  ]);
  for (const org of world.orgs) {
    let cursor: string | null = null;
    do {
      const page = await store.list(`orgs/${org.id}/`, { cursor, limit: 1000 });
      for (const o of page.objects) {
        if (!referenced.has(o.key) && past(org.id, "ORPHAN_OBJECTS", o.lastModified))
          add("ORPHAN_OBJECTS", o.key);
      }
      cursor = page.nextCursor;
    } while (cursor);
  }
  return out;
}
