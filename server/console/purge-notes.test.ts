import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { builders } from "@/test/builders";
import { createTestEngine, type TestEngine } from "@/test/engine";
import { erasureWorld } from "@/test/erasure";
import { purge } from "@/test/purge";
import { environmentDetail } from "./environments";
import { incidentDetail } from "./incidents";
import { purgeNotes } from "./purge-notes";

let t: TestEngine;
beforeAll(async () => {
  t = await createTestEngine();
});
afterAll(() => t.close());

describe("purge notes: what a purge took from what stays", () => {
  it("an incident whose approvals were purged says how many and when, not that none were requested", async () => {
    const b = builders(t.engine.db, t.engine.store);
    const org = await b.org("BASIC");
    const env = await b.env(org.id);
    const incident = await b.incident(org.id, env.id, "CLOSED", 300);
    for (let i = 0; i < 4; i++) await b.approval(org.id, incident.id, 200 + i);
    const untouched = await b.incident(org.id, env.id, "CLOSED", 300);

    const { run } = await purge(t.engine, { orgIds: [org.id], categories: ["APPROVALS"] });
    expect(run.deleted).toBe(4n);
    // A second purge finds nothing more: the note still counts four.
    await purge(t.engine, { orgIds: [org.id], categories: ["APPROVALS"] });

    const detail = await incidentDetail(
      t.engine.db,
      t.engine.settings.policy,
      incident.id,
      t.engine.now(),
    );
    expect(detail.approvals).toEqual([]);
    expect(detail.approvalsPurged?.items).toBe(4);
    const [{ today }] = await t.engine.db.$queryRaw<[{ today: Date }]>`SELECT now() AS today`;
    expect(detail.approvalsPurged?.lastPurgedAt.toISOString().slice(0, 10)).toBe(
      today.toISOString().slice(0, 10),
    );
    const other = await incidentDetail(
      t.engine.db,
      t.engine.settings.policy,
      untouched.id,
      t.engine.now(),
    );
    expect(other.approvalsPurged).toBeNull();
  });

  it("a batch that rolls back leaves no note: the purge that follows counts each approval once", async () => {
    const b = builders(t.engine.db, t.engine.store);
    const org = await b.org("BASIC");
    const env = await b.env(org.id);
    const incident = await b.incident(org.id, env.id, "CLOSED", 300);
    await b.approval(org.id, incident.id, 200);
    await expect(
      t.engine.db.$transaction(async (tx) => {
        await tx.approval.deleteMany({ where: { incidentId: incident.id } });
        throw new Error("crash mid-batch");
      }),
    ).rejects.toThrow("crash mid-batch");
    expect((await purgeNotes(t.engine.db, "APPROVALS", [incident.id])).size).toBe(0);
    await purge(t.engine, { orgIds: [org.id], categories: ["APPROVALS"] });
    expect(
      (await purgeNotes(t.engine.db, "APPROVALS", [incident.id])).get(incident.id)?.items,
    ).toBe(1);
  });

  it("an environment's page says how many of its org's drift checks a sweep purged", async () => {
    const b = builders(t.engine.db, t.engine.store);
    const org = await b.org("FREE");
    const prod = await b.env(org.id, "prod");
    const qa = await b.env(org.id, "qa");
    for (const days of [40, 30, 20]) await b.driftCheck(org.id, prod.id, days, 0);
    await b.driftCheck(org.id, qa.id, 1, 0);

    await purge(t.engine, { orgIds: [org.id], categories: ["DRIFT_CHECKS"] });

    const page = await environmentDetail(t.engine.db, prod.id);
    expect(page.checks).toHaveLength(1);
    expect(page.orgChecksPurged?.items).toBe(2);
    // The count is the org's: its other environments' pages say the same.
    expect((await environmentDetail(t.engine.db, qa.id)).orgChecksPurged?.items).toBe(2);
    const other = await b.org("FREE");
    const otherEnv = await b.env(other.id, "prod");
    expect((await environmentDetail(t.engine.db, otherEnv.id)).orgChecksPurged).toBeNull();
  });

  // The notes say "purged per retention policy" whatever deleted the rows:
  // true while an erasure covers artifacts only. Should it ever take
  // approvals or drift checks, their notes need the reason too.
  it("a GDPR erasure takes an org's artifacts, not its approvals or drift checks: no purge note", async () => {
    const w = await erasureWorld(t);
    const org = await w.b.org("BASIC");
    const env = await w.b.env(org.id);
    const incident = await w.b.incident(org.id, env.id, "CLOSED", 300);
    await w.b.approval(org.id, incident.id, 200);
    await w.b.driftCheck(org.id, env.id, 40, 0);
    await w.b.artifact(org.id, 1);
    await w.erase(t.engine, (await w.request(org.id)).id, 1n);

    const detail = await incidentDetail(
      t.engine.db,
      t.engine.settings.policy,
      incident.id,
      t.engine.now(),
    );
    expect([detail.approvals.length, detail.approvalsPurged]).toEqual([1, null]);
    const page = await environmentDetail(t.engine.db, env.id);
    expect([page.checks.length, page.orgChecksPurged]).toEqual([1, null]);
  });
});
