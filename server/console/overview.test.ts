import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { builders } from "@/test/builders";
import { createTestEngine, type TestEngine } from "@/test/engine";
import { purge } from "@/test/purge";
import { purgeStatus } from "./overview";

let t: TestEngine;
beforeAll(async () => {
  t = await createTestEngine();
});
afterAll(() => t.close());

describe("the Overview's last run", () => {
  it("counts what it deleted apart from what it archived, as the run's page does", async () => {
    const b = builders(t.engine.db, t.engine.store);
    const org = await b.org("FREE");
    await Promise.all([b.artifact(org.id, 40), b.artifact(org.id, 41), b.prompt(org.id, 30)]);
    const { run } = await purge(t.engine, { orgIds: [org.id], categories: null });
    const { lastRun } = await purgeStatus(t.engine.db, t.engine.now());
    expect(lastRun).toMatchObject({ id: run.id, deleted: 2n, archived: 1n });
  });
});
