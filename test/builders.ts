import { randomUUID } from "node:crypto";
import type { Db } from "../server/db";
import type { IncidentStatus, Plan, TaskQueueStatus } from "../server/generated/prisma/enums";
import type { ObjectStore } from "../server/storage";
import { NOW } from "./engine";

const DAY = 86_400_000;
/** A moment `days` days before the test clock (fractions allowed). */
export const ago = (days: number, from: Date = NOW) => new Date(from.getTime() - days * DAY);

/** Small constructors for governed data, dated relative to the test clock. */
export function builders(db: Db, store: ObjectStore) {
  let userId: number | null = null;
  return {
    async user(role: "VIEWER" | "OPERATOR" | "ADMIN" = "ADMIN") {
      const u = await db.user.create({
        data: { email: `${randomUUID()}@test.dev`, name: `${role} tester`, role },
      });
      userId ??= u.id;
      return u;
    },
    async org(plan: Plan, name = `${plan} ${randomUUID().slice(0, 6)}`) {
      return db.organization.create({ data: { name, slug: randomUUID(), plan } });
    },
    async env(orgId: number, name = "prod") {
      return db.environment.create({ data: { orgId, name } });
    },
    async artifact(
      orgId: number,
      daysOld: number,
      options: { memberId?: number; bytes?: number; withObject?: boolean } = {},
    ) {
      const objectKey = `orgs/${orgId}/artifacts/${randomUUID()}.bin`;
      const bytes = options.bytes ?? 100;
      if (options.withObject !== false) await store.put(objectKey, new Uint8Array(bytes));
      return db.artifact.create({
        data: {
          orgId,
          kind: "BLOG_POST",
          title: "t",
          objectKey,
          bytes: BigInt(bytes),
          createdAt: ago(daysOld),
          memberId: options.memberId,
        },
      });
    },
    async driftCheck(orgId: number, environmentId: number, daysOld: number, flags = 1) {
      return db.driftCheck.create({
        data: {
          orgId,
          environmentId,
          status: flags ? "DRIFT" : "IN_SYNC",
          checkedAt: ago(daysOld),
          modifiedCount: flags,
          summary: {},
          flags: {
            create: Array.from({ length: flags }, (_, i) => ({
              workflow: `wf-${i}`,
              flag: "MODIFIED" as const,
            })),
          },
        },
      });
    },
    async incident(
      orgId: number,
      environmentId: number,
      status: IncidentStatus,
      closedDaysAgo: number | null,
    ) {
      return db.incident.create({
        data: {
          orgId,
          environmentId,
          title: "drift",
          status,
          detectedAt: ago((closedDaysAgo ?? 0) + 2),
          closedAt: closedDaysAgo === null ? null : ago(closedDaysAgo),
          payload: { create: { driftSummary: { workflows: ["a"] }, bytes: 50n } },
        },
      });
    },
    async approval(orgId: number, incidentId: number, daysOld: number) {
      return db.approval.create({
        data: {
          orgId,
          incidentId,
          action: "ACKNOWLEDGED",
          status: "APPROVED",
          requestedBy: "user:1",
          createdAt: ago(daysOld),
        },
      });
    },
    async memory(orgId: number, type: string, daysOld: number) {
      return db.memoryItem.create({ data: { orgId, type, content: "x", createdAt: ago(daysOld) } });
    },
    async backup(orgId: number, environmentId: number, daysOld: number) {
      const objectKey = `orgs/${orgId}/backups/${randomUUID()}.sql.gz`;
      await store.put(objectKey, new Uint8Array(64));
      return db.backup.create({
        data: { orgId, environmentId, objectKey, bytes: 64n, createdAt: ago(daysOld) },
      });
    },
    async task(orgId: number, status: TaskQueueStatus, finishedDaysAgo: number | null) {
      return db.taskQueueEntry.create({
        data: {
          orgId,
          type: "render",
          status,
          createdAt: ago((finishedDaysAgo ?? 0) + 1),
          finishedAt: finishedDaysAgo === null ? null : ago(finishedDaysAgo),
        },
      });
    },
    async error(orgId: number, resolvedDaysAgo: number | null) {
      return db.capturedError.create({
        data: {
          orgId,
          fingerprint: "f",
          message: "m",
          createdAt: ago((resolvedDaysAgo ?? 0) + 1),
          resolvedAt: resolvedDaysAgo === null ? null : ago(resolvedDaysAgo),
        },
      });
    },
    async prompt(orgId: number, daysOld: number, archived = false) {
      return db.prompt.create({
        data: {
          orgId,
          name: "p",
          body: "b",
          createdAt: ago(daysOld),
          archivedAt: archived ? ago(1) : null,
        },
      });
    },
    async imageAnalysis(orgId: number, daysOld: number, artifactId?: number) {
      return db.imageAnalysis.create({
        data: { orgId, artifactId, result: {}, createdAt: ago(daysOld) },
      });
    },
    async sceneIteration(orgId: number, daysOld: number) {
      return db.sceneIteration.create({
        data: { orgId, sceneId: "s", iteration: 1, data: {}, createdAt: ago(daysOld) },
      });
    },
    /** An object no row references, last modified `daysOld` ago (only a local store can backdate it). */
    async orphan(orgId: number, daysOld: number) {
      const key = `orgs/${orgId}/tmp/${randomUUID()}.bin`;
      await store.put(key, new Uint8Array(10), ago(daysOld));
      return key;
    },
    async hold(target: { orgId: number; incidentId?: number; artifactId?: number }) {
      const scope = target.incidentId ? "INCIDENT" : target.artifactId ? "ARTIFACT" : "ORG";
      const placer = userId ?? (await this.user()).id;
      return db.legalHold.create({
        data: { scope, ...target, reason: "test hold", placedById: placer },
      });
    },
  };
}
