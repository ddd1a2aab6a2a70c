import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { builders } from "@/test/builders";
import { refuseDeletes } from "@/test/database";
import { createTestEngine, type TestEngine } from "@/test/engine";
import { captureLog } from "@/test/log";
import { purge } from "@/test/purge";

const captured = captureLog("debug");
let t: TestEngine;
beforeAll(async () => {
  t = await createTestEngine({ log: captured.log, settings: { batchSize: 2, maxTaskAttempts: 1 } });
});
afterAll(() => t.close());

describe("what a purge run logs", () => {
  it("every line of a run carries its id; batches at debug, each task's and sweep's end at info, failures with their error", async () => {
    const b = builders(t.engine.db, t.engine.store);
    const org = await b.org("FREE", "Logged Org");
    const refused = await b.org("FREE", "Refusing Org");
    const env = await b.env(org.id);
    for (const age of [40, 41, 42]) await b.artifact(org.id, age);
    for (const age of [10, 11, 12]) await b.driftCheck(org.id, env.id, age);
    await b.driftCheck(org.id, env.id, 1);
    await b.error(refused.id, 40);
    await refuseDeletes(t.database.ownerUrl, {
      name: "refuse_error_delete",
      table: "errors",
      when: "TRUE",
      message: "error % is still open in the tracker",
    });

    const { run, planId } = await purge(t.engine, {
      orgIds: [org.id, refused.id],
      categories: ["ARTIFACTS", "DRIFT_CHECKS", "ERRORS"],
    });
    expect(run.status).toBe("PARTIAL");
    // What `jq 'select(.runId == "<run id>")'` picks out of the log.
    const lines = captured.lines.filter((l) => l.runId === run.id);
    const said = (msg: string) => lines.filter((l) => l.msg === msg);

    expect(said("run started")).toEqual([expect.objectContaining({ level: "info", planId })]);
    expect(said("run ended")).toEqual([
      expect.objectContaining({ level: "info", status: "PARTIAL", deleted: 6 }),
    ]);
    const taskBatches = said("batch").filter((l) => l.taskIds);
    expect(taskBatches.length).toBeGreaterThanOrEqual(2);
    for (const l of taskBatches)
      expect(l).toMatchObject({ level: "debug", planId, category: expect.any(String) });
    expect(said("batch").some((l) => l.sweepId && l.category === "DRIFT_CHECKS")).toBe(true);

    const artifacts = await t.engine.db.purgeTask.findFirstOrThrow({
      where: { runId: run.id, orgId: org.id, category: "ARTIFACTS" },
    });
    expect(said("task ended")).toContainEqual(
      expect.objectContaining({
        level: "info",
        planId,
        taskId: artifacts.id,
        orgId: org.id,
        category: "ARTIFACTS",
        status: "SUCCEEDED",
        deleted: 3,
      }),
    );
    expect(said("sweep ended")).toEqual([
      expect.objectContaining({ level: "info", planId, category: "DRIFT_CHECKS", deleted: 3 }),
    ]);
    const failure = said("task attempt failed")[0];
    expect(failure).toMatchObject({ level: "error", orgId: refused.id, category: "ERRORS" });
    expect((failure?.err as { message: string }).message).toMatch(/still open in the tracker/);
    expect(said("task ended")).toContainEqual(
      expect.objectContaining({ orgId: refused.id, status: "FAILED" }),
    );
  });
});
