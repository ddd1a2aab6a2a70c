import { randomUUID } from "node:crypto";
import type { Db } from "../../server/db";
import type { IncidentStatus } from "../../server/generated/prisma/enums";
import type { ObjectStore } from "../../server/storage";
import { planHasCategory } from "../../server/retention/policy/effective-window";
import { ARTIFACT_KINDS, DEMO_ORGS, HELD_ORGS, WORKFLOWS } from "./demo-orgs";
import { seedOrphans, seedSmallTables } from "./demo-tables";
import { daysAgo, type Random } from "./random";

export type DemoOrg = { id: number; plan: (typeof DEMO_ORGS)[number]["plan"] };
export type DemoContext = {
  db: Db;
  store: ObjectStore;
  random: Random;
  now: Date;
  adminId: number;
};

const LIFECYCLE: IncidentStatus[] = [
  "DETECTED",
  "ACKNOWLEDGED",
  "STABILIZED",
  "RECONCILED",
  "CLOSED",
];

async function seedArtifacts({ db, store, random, now }: DemoContext, org: DemoOrg) {
  const members = await db.member.createManyAndReturn({
    data: Array.from({ length: 5 }, (_, i) => ({
      orgId: org.id,
      externalId: `member-${org.id}-${i + 1}`,
    })),
  });
  const kinds = Object.keys(ARTIFACT_KINDS) as (keyof typeof ARTIFACT_KINDS)[];
  const data = Array.from({ length: 50 }, (_, i) => {
    const kind = random.pick(kinds);
    const spec = ARTIFACT_KINDS[kind];
    return {
      orgId: org.id,
      memberId: random.chance(0.9) ? random.pick(members).id : null,
      kind,
      title: `${kind.toLowerCase().replace(/_/g, " ")} ${i + 1}`,
      objectKey: `orgs/${org.id}/artifacts/${kind.toLowerCase()}/${randomUUID()}.${spec.ext}`,
      size: random.int(spec.min, spec.max),
      createdAt: daysAgo(now, random.next() * 500),
    };
  });
  for (const a of data) await store.put(a.objectKey, random.bytes(a.size));
  return db.artifact.createManyAndReturn({
    data: data.map(({ size, ...a }) => ({ ...a, bytes: BigInt(size) })),
  });
}

async function seedEnvironments({ db, random }: DemoContext, org: DemoOrg) {
  const names = [
    "prod",
    ...["qa", "dev", "test", "staging"].filter((_, i) =>
      random.chance([0.7, 0.6, 0.3, 0.2][i] ?? 0),
    ),
  ];
  return db.environment.createManyAndReturn({
    data: names.map((name) => ({ orgId: org.id, name })),
  });
}

/** Drift checks every 8 hours over 200 days, set-based: one statement for all environments. */
async function seedDriftChecks({ db }: DemoContext) {
  await db.$executeRaw`
    INSERT INTO drift_checks (org_id, environment_id, status, checked_at, modified_count, not_in_git_count, unknown_count, summary)
    SELECT e.org_id, e.id, s.status::"DriftStatus", s.checked_at, s.modified, s.not_in_git, s.unknown,
           jsonb_build_object('workflowsChecked', 6, 'modified', s.modified, 'notInGit', s.not_in_git, 'unknown', s.unknown)
    FROM environments e
    CROSS JOIN LATERAL (
      SELECT ts + (random() * interval '40 minutes') AS checked_at, r,
             CASE WHEN r < 0.78 THEN 'IN_SYNC' WHEN r < 0.95 THEN 'DRIFT' ELSE 'UNKNOWN' END AS status,
             CASE WHEN r >= 0.78 AND r < 0.95 THEN 1 + floor(random() * 3)::int ELSE 0 END AS modified,
             CASE WHEN r >= 0.86 AND r < 0.95 THEN 1 ELSE 0 END AS not_in_git,
             CASE WHEN r >= 0.95 THEN 1 ELSE 0 END AS unknown
      FROM generate_series(now() - interval '200 days', now() - interval '2 hours', interval '8 hours') AS ts,
           LATERAL (SELECT random() + e.id * 0 AS r) rr
    ) s`;
  await db.$executeRaw`
    INSERT INTO workflow_flags (drift_check_id, workflow, flag)
    SELECT d.id, (${WORKFLOWS}::text[])[1 + (d.id + n) % ${WORKFLOWS.length}],
           CASE WHEN n <= d.modified_count THEN 'MODIFIED' WHEN n <= d.modified_count + d.not_in_git_count THEN 'NOT_IN_GIT' ELSE 'UNKNOWN' END::"WorkflowFlagKind"
    FROM drift_checks d
    CROSS JOIN LATERAL generate_series(1, d.modified_count + d.not_in_git_count + d.unknown_count) AS n`;
}

function driftSummary(random: Random) {
  const workflows = WORKFLOWS.filter(() => random.chance(0.5));
  return {
    environmentStatus: "DRIFT",
    workflows: workflows.map((name) => ({
      name,
      flag: random.pick(["MODIFIED", "NOT_IN_GIT", "UNKNOWN"]),
      changedFiles: random.int(1, 12),
      lastDeployedCommit: randomUUID().replace(/-/g, "").slice(0, 12),
    })),
    detectedBy: "scheduled drift check",
  };
}

async function seedIncidents({ db, random, now }: DemoContext, org: DemoOrg, envIds: number[]) {
  if (!planHasCategory(org.plan, "INCIDENT_PAYLOADS")) return [];
  const created = [];
  for (let i = 0; i < random.int(3, 8); i++) {
    const open = random.chance(0.3);
    const reached = open ? random.int(0, 3) : 4;
    const detectedAt = daysAgo(now, open ? random.next() * 30 : 20 + random.next() * 900);
    // Each step follows the one before it, hours to two days later.
    let at = detectedAt.getTime();
    const stamps = LIFECYCLE.map((_, step) => {
      if (step > reached) return null;
      if (step > 0) at += random.int(1, 48) * 3_600_000;
      return new Date(at);
    });
    const summary = driftSummary(random);
    const incident = await db.incident.create({
      data: {
        orgId: org.id,
        environmentId: random.pick(envIds),
        title: `Drift in ${summary.workflows[0]?.name ?? "deploy-api"}`,
        status: LIFECYCLE[reached] ?? "DETECTED",
        detectedAt,
        acknowledgedAt: stamps[1],
        stabilizedAt: stamps[2],
        reconciledAt: stamps[3],
        closedAt: stamps[4],
        payload: {
          create: {
            driftSummary: summary,
            bytes: BigInt(JSON.stringify(summary).length),
            createdAt: detectedAt,
          },
        },
      },
    });
    const approvals = LIFECYCLE.slice(1, reached + 1).filter(() => random.chance(0.6));
    await db.approval.createMany({
      data: approvals.map((action, step) => ({
        orgId: org.id,
        incidentId: incident.id,
        action,
        status: random.pick(["APPROVED", "APPROVED", "REJECTED"] as const),
        requestedBy: `user:${random.int(100, 999)}`,
        decidedBy: `user:${random.int(100, 999)}`,
        decidedAt: stamps[step + 1] ?? detectedAt,
        note: "Reviewed against the runbook",
        createdAt: stamps[step + 1] ?? detectedAt,
      })),
    });
    created.push(incident);
  }
  return created;
}

async function seedBackups(
  { db, store, random, now }: DemoContext,
  org: DemoOrg,
  envs: { id: number; name: string }[],
) {
  for (const env of envs) {
    const count = random.int(11, 14);
    const rows = Array.from({ length: count }, (_, i) => {
      const createdAt = daysAgo(now, i * 3 + random.next());
      return {
        orgId: org.id,
        environmentId: env.id,
        objectKey: `orgs/${org.id}/backups/${env.name}/${createdAt.toISOString().replace(/[:.]/g, "-")}.sql.gz`,
        size: random.int(4_000, 16_000),
        createdAt,
      };
    });
    for (const b of rows) await store.put(b.objectKey, random.bytes(b.size));
    await db.backup.createMany({
      data: rows.map(({ size, ...b }) => ({ ...b, bytes: BigInt(size) })),
    });
  }
}

/** The demo dataset; every screen of the console has something real to show. */
export async function seedDemoData(ctx: DemoContext) {
  const { db } = ctx;
  const orgs = await db.organization.createManyAndReturn({ data: DEMO_ORGS });
  const envsByOrg = new Map<number, { id: number; name: string }[]>();
  for (const org of orgs) {
    const artifacts = await seedArtifacts(ctx, org);
    const envs = await seedEnvironments(ctx, org);
    envsByOrg.set(org.id, envs);
    const incidents = await seedIncidents(
      ctx,
      org,
      envs.map((e) => e.id),
    );
    await seedBackups(ctx, org, envs);
    await seedSmallTables(
      ctx,
      org,
      artifacts.filter((a) => a.kind === "STORYBOARD_IMAGE").map((a) => a.id),
    );
    await seedOrphans(ctx, org);
    // One old artifact and one long-closed incident held in every tenth org.
    if (org.id % 10 === 3) {
      const oldest = [...artifacts].sort(
        (a, b) => a.createdAt.getTime() - b.createdAt.getTime(),
      )[0];
      if (oldest) {
        await db.legalHold.create({
          data: {
            scope: "ARTIFACT",
            orgId: org.id,
            artifactId: oldest.id,
            reason: "Copyright claim under review",
            placedById: ctx.adminId,
          },
        });
      }
      const closed = incidents.find((i) => i.status === "CLOSED");
      if (closed) {
        await db.legalHold.create({
          data: {
            scope: "INCIDENT",
            orgId: org.id,
            incidentId: closed.id,
            reason: "Post-mortem evidence",
            placedById: ctx.adminId,
          },
        });
      }
    }
  }
  for (const held of HELD_ORGS) {
    const org = orgs[held.index];
    if (org)
      await db.legalHold.create({
        data: { scope: "ORG", orgId: org.id, reason: held.reason, placedById: ctx.adminId },
      });
  }
  await seedDriftChecks(ctx);
  return orgs.length;
}
