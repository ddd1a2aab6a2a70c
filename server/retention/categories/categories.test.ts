import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { categoryWorld, type CategoryWorld } from "@/test/category-world";
import { purge } from "@/test/purge";

let t: CategoryWorld["t"];
let b: CategoryWorld["b"];
let exists: CategoryWorld["exists"];
beforeAll(async () => {
  ({ t, b, exists } = await categoryWorld());
});
afterAll(() => t.close());

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
});
