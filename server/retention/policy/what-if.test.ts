import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { builders } from "@/test/builders";
import { createTestEngine, NOW, type TestEngine } from "@/test/engine";
import { setOverride } from "./overrides";
import { whatIf } from "./what-if";

let t: TestEngine;
beforeAll(async () => {
  t = await createTestEngine();
});
afterAll(() => t.close());

describe("what-if on the Policies page", () => {
  it("a plan's window: what every org of the plan would lose, items and bytes, now and within 30 days; an org's override stays in force", async () => {
    const b = builders(t.engine.db, t.engine.store);
    const admin = await b.user("ADMIN");
    const plain = await b.org("FREE");
    const overridden = await b.org("FREE");
    for (const org of [plain, overridden])
      for (const [age, bytes] of [
        [20, 10],
        [40, 20],
        [70, 40],
      ] as const)
        await b.artifact(org.id, age, { bytes });
    await b.artifact((await b.org("BASIC")).id, 400, { bytes: 1000 });
    await setOverride(t.engine.db, t.engine.settings, {
      actor: admin,
      orgId: overridden.id,
      category: "ARTIFACTS",
      days: 60,
      reason: "contract",
    });

    const result = await whatIf(
      t.engine.db,
      t.engine.settings,
      { category: "ARTIFACTS", plan: "FREE", days: 15 },
      NOW,
    );
    // Today: FREE's 30 days take the 40- and 70-day-old of the plain org, the
    // override's 60 days the 70-day-old; 15 days would also take the plain org's 20-day-old.
    expect(result.current.now).toEqual({ items: 3, bytes: 100n });
    expect(result.proposed.now).toEqual({ items: 4, bytes: 110n });
    // Within 30 days, the plain org's 20-day-old comes due under 30 days too,
    // and the override's 40-day-old under 60.
    expect(result.current.next30Days).toEqual({ items: 5, bytes: 130n });
    expect(result.proposed.next30Days).toEqual({ items: 5, bytes: 130n });
  });
});
