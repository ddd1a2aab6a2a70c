import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { builders } from "@/test/builders";
import { runAs } from "@/test/database";
import { createTestEngine, type TestEngine } from "@/test/engine";
import { runDailyPurge } from "./daily";

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
});
