import { createHash } from "node:crypto";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Plan } from "@/server/generated/prisma/enums";
import { builders } from "@/test/builders";
import { refuseDeletes, runAs } from "@/test/database";
import { createTestEngine, workToEnd, type TestEngine } from "@/test/engine";
import { confirmAcknowledged, purge } from "@/test/purge";
import { placeHold } from "../../policy/holds";
import { previewPurge } from "../../plan/preview";

/** Drift-check windows of the plans these tests use (PRODUCT.md). */
const WINDOW: Partial<Record<Plan, number>> = { FREE: 7, BASIC: 30, AGENCY: 90 };

let t: TestEngine;
let b: ReturnType<typeof builders>;
let admin: { id: number };
beforeAll(async () => {
  // Stretches of 7 items and batches of at most 5: a handful of orgs make many sweeps.
  t = await createTestEngine({ settings: { sweepItems: 7, batchSize: 5, maxTaskAttempts: 1 } });
  b = builders(t.engine.db, t.engine.store);
  admin = await b.user("ADMIN");
});
afterAll(() => t.close());

/** An org whose environments each get checks of these ages (days); returns what must go and stay. */
async function orgWithChecks(plan: Plan, environments: number[][]) {
  const org = await b.org(plan);
  const window = WINDOW[plan] ?? 0;
  const gone: number[] = [];
  const kept: number[] = [];
  for (const [k, ages] of environments.entries()) {
    const env = await b.env(org.id, `env-${k}`);
    const newest = Math.min(...ages);
    for (const age of ages) {
      const check = await b.driftCheck(org.id, env.id, age, 1 + (age % 3));
      (age > window && age !== newest ? gone : kept).push(check.id);
    }
  }
  return { org, gone, kept };
}

/** A dry run of these orgs' drift checks, by an admin. */
const dryRun = (orgIds: number[]) =>
  previewPurge(t.engine, {
    scope: { orgIds, categories: ["DRIFT_CHECKS"] },
    trigger: "OPERATOR",
    actor: admin,
  });

const left = (ids: number[]) => t.engine.db.driftCheck.count({ where: { id: { in: ids } } });
const digest = (orgId: number, ids: string[]) =>
  createHash("sha256")
    .update(`DRIFT_CHECKS:${orgId}:${[...ids].sort().join(",")}`)
    .digest("hex");

describe("drift checks are purged by sweeps, in item order across orgs", () => {
  it("two workers, many sweeps: every org loses exactly its eligible checks, and its task and manifest say so", async () => {
    const orgs = [
      await orgWithChecks("FREE", [
        [1, 9, 20, 40],
        [3, 8],
      ]),
      await orgWithChecks("BASIC", [[10, 35, 60, 200]]),
      await orgWithChecks("AGENCY", [[100, 120], [95], [5, 91, 92, 400]]),
      await orgWithChecks("FREE", [[30, 31, 32, 33, 34]]),
    ];
    const gone = orgs.flatMap((o) => o.gone);
    const { run } = await purge(
      t.engine,
      { orgIds: orgs.map((o) => o.org.id), categories: ["DRIFT_CHECKS"] },
      admin,
      { workers: 2 },
    );

    expect(run.status).toBe("SUCCEEDED");
    expect([run.deleted, run.skipped, run.failed]).toEqual([BigInt(gone.length), 0n, 0n]);
    expect(await left(gone)).toBe(0);
    expect(await left(orgs.flatMap((o) => o.kept))).toBe(orgs.flatMap((o) => o.kept).length);
    expect(await t.engine.db.workflowFlag.count({ where: { driftCheckId: { in: gone } } })).toBe(0);

    const sweeps = await t.engine.db.purgeSweep.findMany({ where: { runId: run.id } });
    expect(sweeps.length).toBeGreaterThan(1);
    expect(sweeps.every((s) => s.status === "SUCCEEDED")).toBe(true);
    for (const { org, gone: mine } of orgs) {
      const task = await t.engine.db.purgeTask.findFirstOrThrow({
        where: { runId: run.id, orgId: org.id },
      });
      const batches = await t.engine.db.manifestBatch.findMany({ where: { taskId: task.id } });
      expect(task).toMatchObject({ status: "SUCCEEDED", deleted: mine.length, skipped: 0 });
      expect(task.batches).toBe(batches.length);
      expect(batches.flatMap((m) => m.itemIds).sort()).toEqual(mine.map(String).sort());
      for (const m of batches) expect(m.sha256).toBe(digest(org.id, m.itemIds));
      expect(batches.reduce((sum, m) => sum + m.bytes, 0n)).toBe(task.bytesFreed);
    }
  });

  it("an org whose checks cannot be deleted fails alone; the orgs beside it in the same batches are purged", async () => {
    const first = await orgWithChecks("FREE", [[1, 10, 11, 12]]);
    const refused = await orgWithChecks("FREE", [[1, 10, 11, 12]]);
    const last = await orgWithChecks("FREE", [[1, 10, 11, 12]]);
    await refuseDeletes(t.database.ownerUrl, {
      name: "refuse_check_delete",
      table: "drift_checks",
      when: `OLD.org_id = ${refused.org.id}`,
      message: "check % is still cited by an open audit",
    });
    const orgIds = [first, refused, last].map((o) => o.org.id);

    const { run } = await purge(t.engine, { orgIds, categories: ["DRIFT_CHECKS"] }, admin);
    expect(run.status).toBe("PARTIAL");
    expect(await left(refused.gone)).toBe(refused.gone.length);
    expect(await left([...first.gone, ...last.gone])).toBe(0);
    const task = await t.engine.db.purgeTask.findFirstOrThrow({
      where: { runId: run.id, orgId: refused.org.id },
    });
    expect(task).toMatchObject({ status: "FAILED", deleted: 0, failed: refused.gone.length });
    expect(task.lastError).toMatch(/still cited by an open audit/);
    const others = await t.engine.db.purgeTask.findMany({
      where: { runId: run.id, orgId: { in: [first.org.id, last.org.id] } },
    });
    expect(others.map((o) => o.status)).toEqual(["SUCCEEDED", "SUCCEEDED"]);

    await runAs(t.database.ownerUrl, `DROP TRIGGER refuse_check_delete ON drift_checks`);
    const again = await purge(
      t.engine,
      { orgIds: [refused.org.id], categories: ["DRIFT_CHECKS"] },
      admin,
    );
    expect(again.run.status).toBe("SUCCEEDED");
    expect(await left(refused.gone)).toBe(0);
  });

  it("a sweep that keeps failing on its own is given up: its checks are set aside as failed, the run ends FAILED, a later run purges them", async () => {
    const { org, gone } = await orgWithChecks("FREE", [[1, 10, 11, 12]]);
    const { runId } = await confirmAcknowledged(t.engine, await dryRun([org.id]), admin);
    // As if every attempt it may make had failed, and no org's alone.
    await t.engine.db.purgeSweep.updateMany({
      where: { runId },
      data: { attempts: 1, lastError: "could not extend file: No space left on device" },
    });

    const run = await workToEnd(t.engine, runId);
    expect(run.status).toBe("FAILED");
    expect([run.deleted, run.failed]).toEqual([0n, BigInt(gone.length)]);
    expect(await left(gone)).toBe(gone.length);
    const task = await t.engine.db.purgeTask.findFirstOrThrow({ where: { runId } });
    expect(task).toMatchObject({ status: "FAILED", failed: gone.length });
    const reason =
      "not purged: its sweep gave up after 1 failed attempt: could not extend file: No space left on device";
    expect(task.lastError).toBe(reason);
    const { planId } = await t.engine.db.purgeRun.findUniqueOrThrow({ where: { id: runId } });
    const items = await t.engine.db.planItem.count({ where: { planId } });
    const reasons = await t.engine.db.planItemSetAside.findMany({
      where: { planId },
      select: { state: true, reason: true },
    });
    expect(items).toBe(gone.length);
    expect(reasons).toEqual(gone.map(() => ({ state: "FAILED", reason })));

    const again = await purge(t.engine, { orgIds: [org.id], categories: ["DRIFT_CHECKS"] }, admin);
    expect(again.run.status).toBe("SUCCEEDED");
    expect(await left(gone)).toBe(0);
  });

  it("a legal hold waits for a sweep's batch in flight, and the batches after it pass the org by", async () => {
    const held = await orgWithChecks("FREE", [[1, 10, 11]]);
    const free = await orgWithChecks("FREE", [[1, 10, 11]]);
    const orgIds = [held.org.id, free.org.id];
    const planId = await dryRun(orgIds);

    // A session holding the gate as a sweep's batch does, mid-transaction.
    const batch = new pg.Client({ connectionString: t.database.url });
    await batch.connect();
    await batch.query("BEGIN");
    await batch.query("SELECT pg_advisory_xact_lock_shared(hashtext('lethe:legal-holds'))");
    let placed = false;
    const placing = placeHold(t.engine.db, {
      actor: admin,
      target: { scope: "ORG", orgId: held.org.id },
      reason: "litigation",
    }).then((hold) => {
      placed = true;
      return hold;
    });
    await new Promise((r) => setTimeout(r, 300));
    expect(placed, "the hold waits for the batch in flight").toBe(false);
    await batch.query("COMMIT");
    await batch.end();
    const hold = await placing;

    const { runId } = await confirmAcknowledged(t.engine, planId, admin);
    const run = await workToEnd(t.engine, runId);
    expect(run.status).toBe("SUCCEEDED");
    expect(await left(held.gone)).toBe(held.gone.length);
    expect(await left(free.gone)).toBe(0);
    const reasons = await t.engine.db.planItemSetAside.findMany({
      where: { planId, state: "SKIPPED" },
      select: { reason: true },
    });
    expect(new Set(reasons.map((r) => r.reason))).toEqual(
      new Set([`kept now: legal hold #${hold.id} on the organization`]),
    );
  });
});
