import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { builders } from "@/test/builders";
import { createTestEngine, type TestEngine } from "@/test/engine";
import { purge } from "@/test/purge";
import { runProgress } from "../retention/run/progress";
import { planView } from "./plan-view";

let t: TestEngine;
beforeAll(async () => {
  t = await createTestEngine();
});
afterAll(() => t.close());

describe("what a purge does to each category: deleted or only archived", () => {
  it("a plan and its run count archived prompts apart from deleted items", async () => {
    const b = builders(t.engine.db, t.engine.store);
    const org = await b.org("BASIC");
    for (const days of [40, 41, 42]) await b.error(org.id, days);
    for (const days of [20, 21]) await b.prompt(org.id, days);

    const { planId, run } = await purge(t.engine, {
      orgIds: [org.id],
      categories: ["ERRORS", "PROMPTS"],
    });

    const plan = await planView(t.engine.db, planId, { offset: 0, limit: 1 }, new Date());
    expect(plan.itemCount).toBe(5n);
    expect(plan.actions).toEqual({ deletes: 3n, archives: 2n });
    expect(run.deleted).toBe(5n);
    expect((await runProgress(t.engine.db, run.id))?.actions).toEqual({
      deletes: 3n,
      archives: 2n,
    });
  });
});
