import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { builders } from "@/test/builders";
import { startDaily } from "@/test/daily-run";
import { createTestEngine, NOW, workToEnd, type TestEngine } from "@/test/engine";
import { setOverride } from "../policy/overrides";
import { HISTORY_RUNS } from "./pause";

const DAY = 86_400_000;
let clock = NOW;
let t: TestEngine;
beforeAll(async () => {
  t = await createTestEngine({ settings: { guardFactor: 1.5, guardFloor: 5 }, now: () => clock });
});
afterAll(() => t.close());

/** The daily run of day `k` after the test clock, worked to its end. */
async function daily(k: number) {
  clock = new Date(NOW.getTime() + k * DAY);
  return workToEnd(t.engine, await startDaily(t.engine));
}

describe("a shrunk window no admin reviews", () => {
  it(`keeps waiting for review past the guard's ${HISTORY_RUNS} runs of history: the daily run never deletes it unattended`, async () => {
    const b = builders(t.engine.db, t.engine.store);
    const admin = await b.user("ADMIN");
    const org = await b.org("FREE");
    // FREE keeps artifacts 30 days: one falls due each day; the 20-day override adds ten at once.
    for (let age = 0; age <= 34; age++) await b.artifact(org.id, age + 0.5, { bytes: 10 });
    for (const k of [0, 1, 2]) await daily(k);
    await setOverride(t.engine.db, t.engine.settings, {
      actor: admin,
      orgId: org.id,
      category: "ARTIFACTS",
      days: 20,
      reason: "contract",
    });
    const waiting = await t.engine.db.artifact.count({ where: { orgId: org.id } });
    for (let k = 3; k <= 4 + HISTORY_RUNS; k++) {
      const run = await daily(k);
      const task = await t.engine.db.purgeTask.findFirst({
        where: { runId: run.id, orgId: org.id, category: "ARTIFACTS" },
      });
      expect([task?.status, task?.reviewReason, task?.windowWas], `day ${k}`).toEqual([
        "NEEDS_REVIEW",
        "SHRUNK_WINDOW",
        30,
      ]);
    }
    expect(await t.engine.db.artifact.count({ where: { orgId: org.id } })).toBe(waiting);
  });
});
