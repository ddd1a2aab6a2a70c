import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { builders } from "@/test/builders";
import { createTestEngine, type TestEngine } from "@/test/engine";
import { purge } from "@/test/purge";
import { listEnvironments } from "./environments";

let t: TestEngine;
beforeAll(async () => {
  t = await createTestEngine();
});
afterAll(() => t.close());

describe("the Environments page", () => {
  it("after a purge, each environment still shows the badge and time of its latest check, however old", async () => {
    const b = builders(t.engine.db, t.engine.store);
    const org = await b.org("FREE", "Drift Org");
    // Every check of prod is past FREE's 7 days: its newest one stays.
    const prod = await b.env(org.id, "prod");
    await b.driftCheck(org.id, prod.id, 40, 0);
    const prodLatest = await b.driftCheck(org.id, prod.id, 20, 2);
    const qa = await b.env(org.id, "qa");
    await b.driftCheck(org.id, qa.id, 30, 1);
    const qaLatest = await b.driftCheck(org.id, qa.id, 1, 0);

    const { run } = await purge(t.engine, { orgIds: [org.id], categories: ["DRIFT_CHECKS"] });
    expect(run.deleted).toBe(2n);
    const { environments } = await listEnvironments(t.engine.db, {
      search: "Drift Org",
      offset: 0,
      limit: 10,
    });
    expect(environments.map((e) => [e.name, e.status, e.checkedAt, e.modified])).toEqual([
      ["prod", "DRIFT", prodLatest.checkedAt, 2],
      ["qa", "IN_SYNC", qaLatest.checkedAt, 0],
    ]);
  });
});
