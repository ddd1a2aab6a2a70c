import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ago, builders } from "@/test/builders";
import { createTestEngine, type TestEngine } from "@/test/engine";
import { purge } from "@/test/purge";

let t: TestEngine;
let b: ReturnType<typeof builders>;
beforeAll(async () => {
  t = await createTestEngine();
  b = builders(t.engine.db, t.engine.store);
});
afterAll(() => t.close());

const exists = async (key: string) => (await t.engine.store.head(key)) !== null;

describe("each category deletes exactly what PRODUCT.md says, and nothing else", () => {
  it("artifacts: past the plan's window go, object first; held, unlimited and younger stay", async () => {
    const free = await b.org("FREE");
    const basic = await b.org("BASIC");
    const enterprise = await b.org("ENTERPRISE");
    const heldOrg = await b.org("FREE");
    const young = await b.artifact(free.id, 29);
    const old = await b.artifact(free.id, 31);
    const heldArtifact = await b.artifact(free.id, 300);
    await b.hold({ orgId: free.id, artifactId: heldArtifact.id });
    const basicYoung = await b.artifact(basic.id, 89);
    const basicOld = await b.artifact(basic.id, 91);
    const ancient = await b.artifact(enterprise.id, 2000);
    const underOrgHold = await b.artifact(heldOrg.id, 400);
    await b.hold({ orgId: heldOrg.id });

    const { run } = await purge(t.engine, {
      orgIds: [free.id, basic.id, enterprise.id, heldOrg.id],
      categories: ["ARTIFACTS"],
    });

    const left = await t.engine.db.artifact.findMany({
      where: { orgId: { in: [free.id, basic.id, enterprise.id, heldOrg.id] } },
    });
    expect(left.map((a) => a.id).sort()).toEqual(
      [young.id, heldArtifact.id, basicYoung.id, ancient.id, underOrgHold.id].sort(),
    );
    expect(await exists(old.objectKey)).toBe(false);
    expect(await exists(basicOld.objectKey)).toBe(false);
    for (const kept of [young, heldArtifact, basicYoung, ancient, underOrgHold])
      expect(await exists(kept.objectKey)).toBe(true);
    expect(run.status).toBe("SUCCEEDED");
    expect(Number(run.deleted)).toBe(2);
    expect(Number(run.bytesFreed)).toBe(200);
  });

  it("drift checks: past the window go with their flags; the latest check of each environment always stays", async () => {
    const org = await b.org("FREE");
    const busy = await b.env(org.id, "prod");
    const quiet = await b.env(org.id, "qa");
    const c10 = await b.driftCheck(org.id, busy.id, 10, 2);
    const c8 = await b.driftCheck(org.id, busy.id, 8, 1);
    const c6 = await b.driftCheck(org.id, busy.id, 6, 1);
    const lonely = await b.driftCheck(org.id, quiet.id, 30, 3);

    await purge(t.engine, { orgIds: [org.id], categories: ["DRIFT_CHECKS"] });

    const left = await t.engine.db.driftCheck.findMany({
      where: { orgId: org.id },
      include: { flags: true },
    });
    expect(left.map((c) => c.id).sort()).toEqual([c6.id, lonely.id].sort());
    expect(left.find((c) => c.id === lonely.id)?.flags).toHaveLength(3);
    expect(
      await t.engine.db.workflowFlag.count({ where: { driftCheckId: { in: [c10.id, c8.id] } } }),
    ).toBe(0);
  });

  it("incident payloads: closed past the window lose the payload, never the incident; open and held incidents are untouched", async () => {
    const basic = await b.org("BASIC");
    const free = await b.org("FREE");
    const env = await b.env(basic.id);
    const freeEnv = await b.env(free.id);
    const closedOld = await b.incident(basic.id, env.id, "CLOSED", 200);
    const closedRecent = await b.incident(basic.id, env.id, "CLOSED", 100);
    const open = await b.incident(basic.id, env.id, "DETECTED", null);
    const reconciling = await b.incident(basic.id, env.id, "RECONCILED", 400);
    const held = await b.incident(basic.id, env.id, "CLOSED", 400);
    await b.hold({ orgId: basic.id, incidentId: held.id });
    const freePlan = await b.incident(free.id, freeEnv.id, "CLOSED", 1000);

    await purge(t.engine, { orgIds: [basic.id, free.id], categories: ["INCIDENT_PAYLOADS"] });

    const incidents = await t.engine.db.incident.findMany({
      where: { orgId: { in: [basic.id, free.id] } },
      include: { payload: true },
    });
    expect(incidents).toHaveLength(6);
    const byId = new Map(incidents.map((i) => [i.id, i]));
    expect(byId.get(closedOld.id)?.payload).toBeNull();
    expect(byId.get(closedOld.id)?.payloadPurgedAt).toBeInstanceOf(Date);
    for (const kept of [closedRecent, open, reconciling, held, freePlan]) {
      expect(byId.get(kept.id)?.payload, `incident ${kept.id}`).not.toBeNull();
      expect(byId.get(kept.id)?.payloadPurgedAt).toBeNull();
    }
  });

  it("approvals: past the window go only when their incident is closed and not held", async () => {
    const org = await b.org("BASIC");
    const env = await b.env(org.id);
    const closed = await b.incident(org.id, env.id, "CLOSED", 300);
    const open = await b.incident(org.id, env.id, "STABILIZED", null);
    const old = await b.approval(org.id, closed.id, 200);
    const recent = await b.approval(org.id, closed.id, 100);
    const ofOpen = await b.approval(org.id, open.id, 200);

    await purge(t.engine, { orgIds: [org.id], categories: ["APPROVALS"] });

    const left = await t.engine.db.approval.findMany({ where: { orgId: org.id } });
    expect(left.map((a) => a.id).sort()).toEqual([recent.id, ofOpen.id].sort());
    expect(left.some((a) => a.id === old.id)).toBe(false);
  });

  it("image analyses, scene iterations: past 30 and 60 days go; an analysis of a held artifact stays", async () => {
    const org = await b.org("PRO");
    const heldArtifact = await b.artifact(org.id, 1);
    await b.hold({ orgId: org.id, artifactId: heldArtifact.id });
    const oldAnalysis = await b.imageAnalysis(org.id, 31);
    const youngAnalysis = await b.imageAnalysis(org.id, 29);
    const heldAnalysis = await b.imageAnalysis(org.id, 90, heldArtifact.id);
    const oldScene = await b.sceneIteration(org.id, 61);
    const youngScene = await b.sceneIteration(org.id, 59);

    await purge(t.engine, { orgIds: [org.id], categories: ["IMAGE_ANALYSES", "SCENE_ITERATIONS"] });

    const analyses = await t.engine.db.imageAnalysis.findMany({ where: { orgId: org.id } });
    expect(analyses.map((a) => a.id).sort()).toEqual([youngAnalysis.id, heldAnalysis.id].sort());
    expect(analyses.some((a) => a.id === oldAnalysis.id)).toBe(false);
    const scenes = await t.engine.db.sceneIteration.findMany({ where: { orgId: org.id } });
    expect(scenes.map((s) => s.id)).toEqual([youngScene.id]);
    expect(scenes.some((s) => s.id === oldScene.id)).toBe(false);
  });

  it("assistant memory: temporary types go after 90 days, others after 180, preserved types never", async () => {
    const org = await b.org("AGENCY");
    const oldContext = await b.memory(org.id, "conversation_context", 91);
    const oldNote = await b.memory(org.id, "temporary_note", 95);
    const youngSession = await b.memory(org.id, "session_data", 89);
    const oldVoice = await b.memory(org.id, "brand_voice", 181);
    const youngVoice = await b.memory(org.id, "brand_voice", 120);
    const preserved = await Promise.all(
      ["user_preference", "scene_style", "project_settings"].map((type) =>
        b.memory(org.id, type, 2000),
      ),
    );

    await purge(t.engine, { orgIds: [org.id], categories: ["CONVERSATION_CONTEXT"] });
    let left = await t.engine.db.memoryItem.findMany({ where: { orgId: org.id } });
    expect(left.some((m) => m.id === oldContext.id || m.id === oldNote.id)).toBe(false);
    expect(left.some((m) => m.id === oldVoice.id)).toBe(true);

    await purge(t.engine, { orgIds: [org.id], categories: ["PROJECT_MEMORY"] });
    left = await t.engine.db.memoryItem.findMany({ where: { orgId: org.id } });
    expect(left.map((m) => m.id).sort()).toEqual(
      [youngSession.id, youngVoice.id, ...preserved.map((p) => p.id)].sort(),
    );
  });

  it("backups: the newest N per environment stay (prod 10, test 3, other 5); older ones go with their objects", async () => {
    const org = await b.org("PRO");
    const prod = await b.env(org.id, "prod");
    const test = await b.env(org.id, "test");
    const staging = await b.env(org.id, "staging");
    const prodBackups = [];
    for (let i = 0; i < 12; i++) prodBackups.push(await b.backup(org.id, prod.id, i));
    const testBackups = [];
    for (let i = 0; i < 4; i++) testBackups.push(await b.backup(org.id, test.id, i * 2));
    const stagingBackups = [];
    for (let i = 0; i < 6; i++) stagingBackups.push(await b.backup(org.id, staging.id, i));

    await purge(t.engine, { orgIds: [org.id], categories: ["BACKUPS"] });

    const left = new Set(
      (await t.engine.db.backup.findMany({ where: { orgId: org.id } })).map((x) => x.id),
    );
    const expectKept = (list: { id: number }[], keep: number) =>
      list.forEach((x, i) => expect(left.has(x.id), `backup ${i}`).toBe(i < keep));
    expectKept(prodBackups, 10);
    expectKept(testBackups, 3);
    expectKept(stagingBackups, 5);
    expect(await exists(prodBackups[11]?.objectKey ?? "")).toBe(false);
    expect(await exists(prodBackups[9]?.objectKey ?? "")).toBe(true);
  });

  it("task queue entries go only when finished (completed, cancelled, failed) past 7 days; errors only when resolved past 30", async () => {
    const org = await b.org("BASIC");
    const completedOld = await b.task(org.id, "COMPLETED", 8);
    const failedOld = await b.task(org.id, "FAILED", 8);
    const cancelledOld = await b.task(org.id, "CANCELLED", 9);
    const completedYoung = await b.task(org.id, "COMPLETED", 6);
    const running = await b.task(org.id, "RUNNING", null);
    const queued = await b.task(org.id, "QUEUED", null);
    const resolvedOld = await b.error(org.id, 31);
    const resolvedYoung = await b.error(org.id, 29);
    const unresolved = await b.error(org.id, null);
    await t.engine.db.capturedError.update({
      where: { id: unresolved.id },
      data: { createdAt: ago(3000) },
    });

    await purge(t.engine, { orgIds: [org.id], categories: ["TASK_QUEUE", "ERRORS"] });

    const tasks = await t.engine.db.taskQueueEntry.findMany({ where: { orgId: org.id } });
    expect(tasks.map((x) => x.id).sort()).toEqual(
      [completedYoung.id, running.id, queued.id].sort(),
    );
    expect(tasks.some((x) => [completedOld.id, failedOld.id, cancelledOld.id].includes(x.id))).toBe(
      false,
    );
    const errors = await t.engine.db.capturedError.findMany({ where: { orgId: org.id } });
    expect(errors.map((x) => x.id).sort()).toEqual([resolvedYoung.id, unresolved.id].sort());
    expect(errors.some((x) => x.id === resolvedOld.id)).toBe(false);
  });

  it("prompts are archived after 14 days, never deleted", async () => {
    const org = await b.org("FREE");
    const old = await b.prompt(org.id, 15);
    const young = await b.prompt(org.id, 13);
    const archived = await b.prompt(org.id, 100, true);
    const archivedAt = archived.archivedAt;

    const { run } = await purge(t.engine, { orgIds: [org.id], categories: ["PROMPTS"] });

    const prompts = await t.engine.db.prompt.findMany({ where: { orgId: org.id } });
    expect(prompts).toHaveLength(3);
    expect(prompts.find((p) => p.id === old.id)?.archivedAt).toBeInstanceOf(Date);
    expect(prompts.find((p) => p.id === young.id)?.archivedAt).toBeNull();
    expect(prompts.find((p) => p.id === archived.id)?.archivedAt).toEqual(archivedAt);
    expect(Number(run.deleted)).toBe(1);
    expect(Number(run.bytesFreed)).toBe(0);
  });

  it("orphan objects: unreferenced objects past 5 days go; referenced objects are never swept", async () => {
    const org = await b.org("PRO");
    const artifact = await b.artifact(org.id, 1);
    const env = await b.env(org.id);
    const backup = await b.backup(org.id, env.id, 1);
    const orphan = `orgs/${org.id}/tmp/leftover.bin`;
    await t.engine.store.put(orphan, "leftover");
    const otherOrg = await b.org("PRO");
    const elsewhere = `orgs/${otherOrg.id}/tmp/other.bin`;
    await t.engine.store.put(elsewhere, "other org");

    // S3 cannot backdate an object: move the engine's clock instead.
    const later = (days: number) => () => new Date(Date.now() + days * 86_400_000);
    const early = await createTestEngine({ database: t.database, now: later(3) });
    try {
      await purge(early.engine, { orgIds: [org.id], categories: ["ORPHAN_OBJECTS"] });
    } finally {
      await early.close();
    }
    expect(await exists(orphan)).toBe(true);

    const late = await createTestEngine({ database: t.database, now: later(6) });
    try {
      const { run } = await purge(late.engine, {
        orgIds: [org.id],
        categories: ["ORPHAN_OBJECTS"],
      });
      expect(Number(run.deleted)).toBe(1);
    } finally {
      await late.close();
    }
    expect(await exists(orphan)).toBe(false);
    expect(await exists(artifact.objectKey)).toBe(true);
    expect(await exists(backup.objectKey)).toBe(true);
    expect(await exists(elsewhere)).toBe(true);
  });
});
