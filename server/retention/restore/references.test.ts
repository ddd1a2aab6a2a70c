import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { AppError } from "@/server/errors";
import { builders } from "@/test/builders";
import { runAs } from "@/test/database";
import { createTestEngine, NOW, type TestEngine } from "@/test/engine";
import { purge } from "@/test/purge";
import { dumpTables } from "@/test/table-dump";
import { restorableOfRun } from "./restorable";
import { restoreItems } from "./restore";

let t: TestEngine;
let b: ReturnType<typeof builders>;
beforeAll(async () => {
  t = await createTestEngine({ restoreWindows: "product", now: () => NOW });
  b = builders(t.engine.db, t.engine.store);
});
afterAll(() => t.close());

const admin = async () => ({ id: (await b.user("ADMIN")).id });

describe("a restore whose rows reference what is gone meanwhile", () => {
  it("brings an artifact back without its deleted member, as ON DELETE SET NULL would have left it", async () => {
    const org = await b.org("FREE");
    const member = await t.engine.db.member.create({ data: { orgId: org.id, externalId: "m-1" } });
    const artifact = await b.artifact(org.id, 40, { memberId: member.id });
    const { run } = await purge(t.engine, { orgIds: [org.id], categories: ["ARTIFACTS"] });
    await runAs(t.database.ownerUrl, `DELETE FROM members WHERE id = ${member.id}`);

    const restored = await restoreItems(t.engine, { runId: run.id }, await admin());

    expect(restored.items).toBe(1);
    const back = await t.engine.db.artifact.findUniqueOrThrow({ where: { id: artifact.id } });
    expect(back).toEqual({ ...artifact, memberId: null });
  });

  it("refuses, naming the item and what is missing, when a row's environment is gone, and changes nothing", async () => {
    const org = await b.org("FREE");
    const artifact = await b.artifact(org.id, 40);
    const env = await b.env(org.id, "test");
    const backups = [];
    for (const days of [50, 40, 30, 20, 10]) backups.push(await b.backup(org.id, env.id, days));
    const { run } = await purge(t.engine, { orgIds: [org.id], categories: null });
    const restorable = await restorableOfRun(t.engine, run.id);
    expect(restorable.map((r) => [r.category, r.items]).sort()).toEqual([
      ["ARTIFACTS", 1],
      ["BACKUPS", 2],
    ]);
    // The SaaS deletes the environment once its live backups are gone.
    await runAs(
      t.database.ownerUrl,
      `DELETE FROM backups WHERE environment_id = ${env.id}; DELETE FROM environments WHERE id = ${env.id}`,
    );
    const before = await dumpTables(t.engine.db);

    const refused = restoreItems(t.engine, { runId: run.id }, await admin());

    await expect(refused).rejects.toBeInstanceOf(AppError);
    await expect(refused).rejects.toThrow(
      `run ${run.id} cannot be restored: item ${backups[0]?.id} references environments ${env.id} (its environment_id), which no longer exists. Nothing was restored.`,
    );
    expect(await dumpTables(t.engine.db)).toEqual(before);
    expect(await t.engine.db.artifact.count({ where: { id: artifact.id } })).toBe(0);
    expect(await restorableOfRun(t.engine, run.id)).toEqual(restorable);
    // What does not depend on it still comes back on its own.
    const alone = await restoreItems(
      t.engine,
      { runId: run.id, category: "ARTIFACTS" },
      await admin(),
    );
    expect(alone.items).toBe(1);
  });
});
