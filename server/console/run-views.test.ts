import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { builders } from "@/test/builders";
import { createTestEngine, workToEnd, type TestEngine } from "@/test/engine";
import { confirmAcknowledged, purge } from "@/test/purge";
import { placeHold } from "../retention/policy/holds";
import { previewPurge } from "../retention/plan/preview";
import { runDailyPurge } from "../retention/run/daily";
import { listRuns, runDetail } from "./run-views";
import { planView } from "./plan-view";
import { listHolds } from "./holds";
import { describeRunScope } from "@/components/runs/run-scope";

let t: TestEngine;
let b: ReturnType<typeof builders>;
beforeAll(async () => {
  t = await createTestEngine();
  b = builders(t.engine.db, t.engine.store);
});
afterAll(() => t.close());

const runRow = async (runId: string) => {
  const { runs } = await listRuns(t.engine.db, { offset: 0, limit: 100 });
  const row = runs.find((r) => r.id === runId);
  if (!row) throw new Error(`run ${runId} is not listed`);
  return row;
};

describe("who started a run, and what it covered", () => {
  it("a person's run and preview name the person; the daily run names the schedule", async () => {
    const ada = await t.engine.db.user.create({
      data: { email: "ada@test.dev", name: "Ada Lovelace", role: "ADMIN" },
    });
    const org = await b.org("FREE", "Acme");
    await b.artifact(org.id, 40);
    await b.prompt(org.id, 40);
    await b.error(org.id, 40);
    const { planId, run } = await purge(
      t.engine,
      { orgIds: [org.id], categories: ["ARTIFACTS", "PROMPTS", "ERRORS"] },
      ada,
    );
    const view = await planView(t.engine.db, planId, { offset: 0, limit: 1 }, t.engine.now());
    expect(view.createdBy).toBe("Ada Lovelace");
    const row = await runRow(run.id);
    expect(row.startedBy).toBe("Ada Lovelace");
    expect(row.scope).toMatchObject({ allOrgs: false, orgCount: 1, orgNames: ["Acme"] });
    expect(row.scope?.categoryCount).toBe(3);
    const detail = await runDetail(t.engine.db, run.id, { offset: 0, limit: 10 });
    expect(detail.startedBy).toBe("Ada Lovelace");
    // Prompts are archived, not deleted: their task says so.
    expect(Object.fromEntries(detail.tasks.map((task) => [task.category, task.archives]))).toEqual({
      ARTIFACTS: false,
      PROMPTS: true,
      ERRORS: false,
    });

    const daily = await runDailyPurge(t.engine, Date.now() + 60_000);
    const cron = await workToEnd(t.engine, daily.progress?.id ?? "");
    const cronRow = await runRow(cron.id);
    expect(cronRow.startedBy).toBe("daily schedule");
    const orgs = await t.engine.db.organization.count();
    expect(cronRow.scope).toMatchObject({ allOrgs: true, orgCount: orgs, allCategories: true });
  });

  it("a person since removed is 'user #N (removed)', on runs and holds alike, never a bare id", async () => {
    const gone = await b.user("ADMIN");
    const org = await b.org("FREE");
    await b.artifact(org.id, 40);
    const { run } = await purge(t.engine, { orgIds: [org.id], categories: ["ARTIFACTS"] }, gone);
    await placeHold(t.engine.db, {
      actor: gone,
      target: { scope: "ORG", orgId: org.id },
      reason: "lawsuit",
    });
    await t.engine.db.user.delete({ where: { id: gone.id } });
    expect((await runRow(run.id)).startedBy).toBe(`user #${gone.id} (removed)`);
    const holds = await listHolds(t.engine.db, { active: true });
    expect(holds.find((h) => h.orgId === org.id)?.placedBy).toBe(`user #${gone.id} (removed)`);
  });

  it("a run that skipped what a hold placed after its preview keeps is 'succeeded' with its skips and their reasons per category", async () => {
    const admin = await b.user("ADMIN");
    const org = await b.org("FREE");
    const kept = await b.artifact(org.id, 40);
    await b.artifact(org.id, 41);
    const planId = await previewPurge(t.engine, {
      scope: { orgIds: [org.id], categories: ["ARTIFACTS"] },
      trigger: "OPERATOR",
      actor: admin,
    });
    await placeHold(t.engine.db, {
      actor: admin,
      target: { scope: "ARTIFACT", artifactId: kept.id },
      reason: "evidence",
    });
    const { runId } = await confirmAcknowledged(t.engine, planId, admin);
    await workToEnd(t.engine, runId);
    const row = await runRow(runId);
    expect(row).toMatchObject({ status: "SUCCEEDED", skipped: 1n, deleted: 1n });
    const detail = await runDetail(t.engine.db, runId, { offset: 0, limit: 10 });
    expect(detail.skipReasons).toEqual([
      { category: "ARTIFACTS", reason: expect.stringMatching(/hold/i), count: 1 },
    ]);
  });

  it("a preview and its run name the orgs of their scope that a legal hold left out, and only those", async () => {
    const admin = await b.user("ADMIN");
    const held = await b.org("FREE", "Harbor Lane");
    const open = await b.org("FREE", "Gull Harbor");
    const released = await b.org("FREE", "Tidal Frame");
    for (const org of [held, open, released]) await b.artifact(org.id, 40);
    const hold = await placeHold(t.engine.db, {
      actor: admin,
      target: { scope: "ORG", orgId: held.id },
      reason: "lawsuit",
    });
    const gone = await placeHold(t.engine.db, {
      actor: admin,
      target: { scope: "ORG", orgId: released.id },
      reason: "audit",
    });
    await t.engine.db.legalHold.update({
      where: { id: gone.id },
      data: { releasedAt: new Date(t.engine.now().getTime() - 60_000), releasedById: admin.id },
    });
    const { planId, run } = await purge(
      t.engine,
      { orgIds: [held.id, open.id, released.id], categories: ["ARTIFACTS"] },
      admin,
    );
    const expected = {
      count: 1,
      listed: [{ orgId: held.id, orgName: "Harbor Lane", holdId: hold.id }],
    };
    const view = await planView(t.engine.db, planId, { offset: 0, limit: 10 }, t.engine.now());
    expect(view.heldOut).toEqual(expected);
    expect(view.entries.map((e) => e.orgName).sort()).toEqual(["Gull Harbor", "Tidal Frame"]);
    expect((await runDetail(t.engine.db, run.id, { offset: 0, limit: 10 })).heldOut).toEqual(
      expected,
    );
    // The runs list's scope says so too: three orgs chosen, one of them held.
    const listed = (await listRuns(t.engine.db, { offset: 0, limit: 50 })).runs.find(
      (r) => r.id === run.id,
    );
    if (!listed?.scope) throw new Error("the run is listed with its scope");
    expect(listed.scope).toMatchObject({ orgCount: 3, heldOut: 1 });
    expect(describeRunScope(listed.scope)).toBe(
      "3 orgs (Harbor Lane, Gull Harbor, Tidal Frame), 1 of them left out by a legal hold · 1 category",
    );

    const other = await b.org("FREE", "Elsewhere");
    await b.artifact(other.id, 40);
    const unrelated = await purge(
      t.engine,
      { orgIds: [other.id], categories: ["ARTIFACTS"] },
      admin,
    );
    expect(
      (await planView(t.engine.db, unrelated.planId, { offset: 0, limit: 10 }, t.engine.now()))
        .heldOut,
    ).toEqual({ count: 0, listed: [] });
  });
});
