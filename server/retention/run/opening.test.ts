import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { builders } from "@/test/builders";
import { runAs } from "@/test/database";
import { createTestEngine, type TestEngine } from "@/test/engine";
import { runDailyPurge } from "./daily";
import { runProgress } from "./progress";
import { runTasks } from "./tasks/runner";
import { previewPurge } from "../plan/preview";
import { startRun } from "../plan/start-run";
import { openNow, runSteps } from "../plan/step-runner";
import type { Guardrails } from "../plan/guardrails";

let t: TestEngine;
beforeAll(async () => {
  // One org a step, and a step that fails once is given up.
  t = await createTestEngine({ settings: { planStepOrgs: 1, maxTaskAttempts: 1 } });
});
afterAll(() => t.close());

describe("the daily run's opening", () => {
  it("a range of orgs whose tasks cannot be written is given up: the other orgs are purged, and the run ends PARTIAL", async () => {
    const b = builders(t.engine.db, t.engine.store);
    const orgs = [];
    for (const name of ["first", "refused", "last"]) {
      const org = await b.org("FREE", name);
      for (let i = 0; i < 3; i++) await b.artifact(org.id, 40 + i, { bytes: 10 });
      orgs.push(org);
    }
    const refused = orgs[1]?.id ?? 0;
    await runAs(
      t.database.ownerUrl,
      `CREATE FUNCTION refuse_tasks() RETURNS trigger LANGUAGE plpgsql AS $$
       BEGIN IF NEW.org_id = ${refused} THEN RAISE EXCEPTION 'could not extend file: No space left on device'; END IF; RETURN NEW; END $$;
       CREATE TRIGGER refuse_tasks BEFORE INSERT ON purge_tasks FOR EACH ROW EXECUTE FUNCTION refuse_tasks();`,
    );
    try {
      let answer = await runDailyPurge(t.engine, Date.now() + 10_000);
      for (let n = 0; n < 20 && answer.progress?.status !== "PARTIAL"; n++)
        answer = await runDailyPurge(t.engine, Date.now() + 10_000);
      expect(answer.progress?.status).toBe("PARTIAL");
      const runId = answer.progress?.id ?? "";
      const tasks = await t.engine.db.purgeTask.findMany({
        where: { runId, category: "ARTIFACTS" },
        orderBy: { orgId: "asc" },
      });
      expect(tasks.map((x) => [x.orgId, x.status, x.deleted])).toEqual([
        [orgs[0]?.id, "SUCCEEDED", 3],
        [orgs[2]?.id, "SUCCEEDED", 3],
      ]);
      expect(await t.engine.db.artifact.count({ where: { orgId: refused } })).toBe(3);
      const step = await t.engine.db.planStep.findFirstOrThrow({
        where: { kind: "TASKS", firstOrg: refused },
      });
      expect(step).toMatchObject({
        status: "FAILED",
        lastError: expect.stringContaining("No space left on device"),
      });
    } finally {
      await runAs(
        t.database.ownerUrl,
        `DROP TRIGGER refuse_tasks ON purge_tasks; DROP FUNCTION refuse_tasks();`,
      );
    }
  });

  it("says while it opens how many ranges of orgs have their tasks, and its bar measures the whole plan", async () => {
    const b = builders(t.engine.db, t.engine.store);
    const admin = await b.user("OPERATOR");
    const orgs = [];
    for (const name of ["one", "two", "three"]) {
      const org = await b.org("FREE", `opening ${name}`);
      for (let i = 0; i < 2; i++) await b.artifact(org.id, 40 + i, { bytes: 10 });
      orgs.push(org);
    }
    const planId = await previewPurge(t.engine, {
      scope: { orgIds: orgs.map((o) => o.id), categories: ["ARTIFACTS"] },
      trigger: "OPERATOR",
      actor: admin,
    });
    const plan = await t.engine.db.purgePlan.findUniqueOrThrow({ where: { id: planId } });
    const { runId } = await startRun(t.engine, {
      planId,
      actor: admin,
      acknowledgement: (plan.guardrails as unknown as Guardrails).confirmPhrase,
    });
    expect(await runProgress(t.engine.db, runId)).toMatchObject({
      status: "RUNNING",
      opening: { ranges: 3, opened: 0 },
      fraction: 0,
    });

    // The first range's tasks are written and purged while the others wait.
    const [first] = await t.engine.db.planStep.findMany({
      where: { planId, kind: "TASKS" },
      orderBy: { id: "asc" },
    });
    await runSteps(t.engine, [first?.id ?? 0], Infinity);
    const tasks = await t.engine.db.purgeTask.findMany({ where: { runId } });
    expect(tasks.map((x) => x.orgId)).toEqual([orgs[0]?.id]);
    await runTasks(t.engine, [tasks[0]?.id ?? 0], Date.now() + 10_000);
    const opening = await runProgress(t.engine.db, runId);
    expect(opening).toMatchObject({ opening: { ranges: 3, opened: 1 }, deleted: 2n });
    expect(opening?.fraction).toBeCloseTo(2 / 6);

    await openNow(t.engine, planId);
    expect(await runProgress(t.engine.db, runId)).toMatchObject({ opening: null });
  });
});
