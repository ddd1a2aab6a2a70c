import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { appError } from "@/test/app-error";
import { builders } from "@/test/builders";
import { createTestEngine, NOW, type TestEngine } from "@/test/engine";
import { confirmAcknowledged, purge } from "@/test/purge";
import { confirmPlan } from "./confirm";
import { cancelPreview, listOpenPreviews } from "./open-previews";
import { planView } from "../../console/plan-view";
import { previewPurge } from "./preview";
import { cleanUpPreviews } from "./preview-cleanup";
import { runDailyPurge } from "../run/daily";
import { sql } from "../sql";

const MINUTE = 60_000;

let t: TestEngine;
let b: ReturnType<typeof builders>;
beforeAll(async () => {
  t = await createTestEngine({ settings: { maxOpenPreviewsPerUser: 2, maxOpenPreviews: 3 } });
  b = builders(t.engine.db, t.engine.store);
});
afterAll(() => t.close());

/** The engine's clock `minutes` after the test clock, on the same database. */
const later = (minutes: number) =>
  createTestEngine({
    database: t.database,
    settings: t.engine.settings,
    now: () => new Date(NOW.getTime() + minutes * MINUTE),
  });

/** An org with `n` resolved errors old enough to purge, and a preview of them by `actor`. */
async function previewOf(actor: { id: number }, n = 3, engine = t.engine) {
  const org = await b.org("FREE");
  for (let i = 0; i < n; i++) await b.error(org.id, 40);
  return previewPurge(engine, {
    scope: { orgIds: [org.id], categories: ["ERRORS"] },
    trigger: "OPERATOR",
    actor,
  });
}

const manifestOf = async (planId: string) => ({
  items: await t.engine.db.planItem.count({ where: { planId } }),
  entries: await t.engine.db.planEntry.count({ where: { planId } }),
});

describe("expired previews are cleaned up", () => {
  it("the daily run deletes an expired preview's manifest and marks it EXPIRED, audited; a confirmed plan keeps its own", async () => {
    const person = await b.user("OPERATOR");
    const stale = await previewOf(person, 4);
    const { planId: confirmed } = await purge(t.engine, { orgIds: null, categories: ["ERRORS"] });
    const kept = await manifestOf(confirmed);
    expect(kept.items).toBeGreaterThan(0);
    expect(await manifestOf(stale)).toEqual({ items: 4, entries: 1 });

    const next = await later(16);
    try {
      const result = await runDailyPurge(next.engine, Date.now() + 30_000);
      expect(result.cleanup).toMatchObject({ expired: 1, plans: 1, items: 4, entries: 1 });
    } finally {
      await next.close();
    }
    expect(await manifestOf(stale)).toEqual({ items: 0, entries: 0 });
    const plan = await t.engine.db.purgePlan.findUniqueOrThrow({ where: { id: stale } });
    expect(plan.status).toBe("EXPIRED");
    expect(plan.manifestRemovedAt).not.toBeNull();
    expect(plan.itemCount).toBe(4n); // what the preview found stays on the plan
    expect(await manifestOf(confirmed)).toEqual(kept);
    const [entry] = await t.engine.db.auditEntry.findMany({
      where: { action: "purge.previews_cleaned" },
    });
    expect(entry?.details).toEqual({
      expired: 1,
      plans: 1,
      items: 4,
      entries: 1,
      steps: 0,
      latestChecks: 0,
      planIds: [stale],
    });
    // The screen says what happened to it.
    const view = await planView(t.engine.db, stale, { offset: 0, limit: 20 }, NOW);
    expect(view).toMatchObject({ status: "EXPIRED", entryCount: 0 });
    expect(view.manifestRemovedAt).not.toBeNull();
  });

  it("two overlapping cleanups share the work: every row deleted and counted once, each plan marked once", async () => {
    const person = await b.user("OPERATOR");
    const planIds: string[] = [];
    for (let p = 0; p < 3; p++) {
      const plan = await t.engine.db.purgePlan.create({
        data: {
          trigger: "OPERATOR",
          scope: {},
          asOf: NOW,
          createdById: person.id,
          expiresAt: new Date(NOW.getTime() - MINUTE),
          manifestHash: "",
          guardrails: {},
        },
      });
      await t.engine.db.$executeRaw(sql`
        INSERT INTO plan_items (plan_id, org_id, category, item_id, bytes, eligible_at)
        SELECT ${plan.id}, 1, 'ERRORS', g, 1, now() FROM generate_series(1, 25000) g`);
      planIds.push(plan.id);
    }
    const deadline = Date.now() + 60_000;
    const reports = await Promise.all([
      cleanUpPreviews(t.engine, { deadline, planIds }),
      cleanUpPreviews(t.engine, { deadline, planIds }),
    ]);
    expect(reports[0].items + reports[1].items).toBe(75_000);
    expect(reports[0].plans + reports[1].plans).toBe(3);
    expect(reports[0].expired + reports[1].expired).toBe(3);
    expect(await t.engine.db.planItem.count({ where: { planId: { in: planIds } } })).toBe(0);
  });
});

describe("the cap on open previews", () => {
  it("refuses beyond a person's and everyone's open previews, saying how many, when the oldest expires and how to free one; never the daily run; discarding frees a slot", async () => {
    const first = await b.user("OPERATOR");
    const second = await b.user("OPERATOR");
    // The next day, past every earlier test's previews, with a daily run still to make.
    const clock = await later(24 * 60 + 100);
    const e = clock.engine;
    try {
      const oldest = await previewOf(first, 3, e);
      await previewOf(first, 3, e);
      const mine = await appError(previewOf(first, 3, e));
      expect(mine.code).toBe("CONFLICT");
      expect(mine.message).toBe(
        "You have 2 open previews, the most one person may keep (PLAN_MAX_OPEN_PER_USER=2); your oldest expires at 13:55 UTC. Discard one you no longer need (Dry run & purge → Your open previews), or wait until it expires.",
      );
      await previewOf(second, 3, e);
      const everyone = await appError(previewOf(second, 3, e));
      expect(everyone.message).toBe(
        "There are 3 open previews, the most Lethe keeps at once (PLAN_MAX_OPEN=3); the oldest expires at 13:55 UTC. Discard one of yours you no longer need (Dry run & purge → Your open previews), or wait until one expires.",
      );

      // The schedule's own plan is never refused.
      const daily = await runDailyPurge(e, Date.now() + 30_000);
      expect(daily.joined).toBe(false);

      // Someone else's preview is not theirs to discard.
      const notYours = await appError(cancelPreview(e, { actor: second, planId: oldest }));
      expect(notYours.code).toBe("NOT_FOUND");
      expect((await listOpenPreviews(e.db, first, e.now())).map((p) => p.id)).toContain(oldest);
      const discarded = await cancelPreview(e, { actor: first, planId: oldest });
      expect(discarded).toEqual({ planId: oldest, itemsRemoved: 3 });
      expect(await manifestOf(oldest)).toEqual({ items: 0, entries: 0 });
      const view = await planView(e.db, oldest, { offset: 0, limit: 20 }, e.now());
      expect(view.status).toBe("DISCARDED");
      expect(view.discardedAt).not.toBeNull();
      expect(view.manifestRemovedAt).not.toBeNull();
      const gone = await appError(confirmPlan(e, { planId: oldest, actor: first }));
      expect(gone.message).toMatch(/This preview was discarded: it can no longer be confirmed/);
      expect(
        await e.db.auditEntry.count({
          where: { action: "purge.discarded", target: `plan:${oldest}` },
        }),
      ).toBe(1);

      // The slot is free again.
      const fresh = await previewOf(first, 3, e);
      const { runId } = await confirmAcknowledged(e, fresh, first);
      expect(runId).toBeTruthy();
      const confirmed = await appError(cancelPreview(e, { actor: first, planId: fresh }));
      expect(confirmed.message).toMatch(/is confirmed: only an open preview can be discarded/);
    } finally {
      await clock.close();
    }
  });

  it("one person's previews made at the same moment cannot pass their cap together", async () => {
    const person = await b.user("OPERATOR");
    const clock = await later(3 * 24 * 60);
    try {
      await previewOf(person, 1, clock.engine);
      const outcomes = await Promise.allSettled([
        previewOf(person, 1, clock.engine),
        previewOf(person, 1, clock.engine),
        previewOf(person, 1, clock.engine),
      ]);
      expect(outcomes.filter((o) => o.status === "fulfilled")).toHaveLength(1);
    } finally {
      await clock.close();
    }
  });
});
