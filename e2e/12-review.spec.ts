import { expect, test } from "@playwright/test";
import { query, queryAsOwner } from "./stack";
import { pageAs, previewOnConsole } from "./support";

/**
 * The state the guard leaves when it pauses a daily run's task (how it
 * decides is the engine's guard.test.ts): a confirmed daily plan of one
 * org's drift checks, its run PARTIAL, the task awaiting review.
 */
async function pausedDailyTask(planId: string) {
  await queryAsOwner(
    `WITH plan AS (
       UPDATE purge_plans SET trigger = 'CRON', status = 'CONFIRMED', confirmed_at = now()
       WHERE id = $1 RETURNING id, item_count),
     run AS (
       INSERT INTO purge_runs (id, run_key, plan_id, trigger, status, finished_at, items_total)
       SELECT gen_random_uuid(), 'daily:e2e-review', id, 'CRON', 'PARTIAL', now(), item_count FROM plan
       RETURNING id)
     INSERT INTO purge_tasks (run_id, org_id, plan, category, eligible, status, review_reason, baseline, history_runs)
     SELECT run.id, e.org_id, o.plan, e.category, e.item_count, 'NEEDS_REVIEW', 'VOLUME', 1, 3
     FROM run, plan_entries e JOIN organizations o ON o.id = e.org_id WHERE e.plan_id = $1`,
    [planId],
  );
  const [run] = await query<{ id: string }>(`SELECT id FROM purge_runs WHERE plan_id = $1`, [
    planId,
  ]);
  return run?.id ?? "";
}

test("a paused task is approved from the console: the Overview's banner leads to the review, and its drift checks are deleted", async ({
  browser,
}) => {
  test.setTimeout(120_000);
  const [org] = await query<{ id: number; name: string; env: number }>(`
    SELECT o.id, o.name, e.id AS env FROM organizations o JOIN environments e ON e.org_id = o.id
    WHERE NOT EXISTS (SELECT 1 FROM legal_holds h WHERE h.org_id = o.id AND h.released_at IS NULL)
      AND NOT EXISTS (SELECT 1 FROM retention_overrides r WHERE r.org_id = o.id)
    ORDER BY o.id LIMIT 1`);
  if (!org) throw new Error("the demo data has no org with an environment");
  // Older than any plan's window (whatever ran before), and the environment's latest, which stays.
  await query(
    `INSERT INTO drift_checks (org_id, environment_id, status, checked_at, modified_count, not_in_git_count, unknown_count, summary)
     SELECT $1, $2, 'IN_SYNC', now() - make_interval(days => d), 0, 0, 0, '{}'::jsonb
     FROM unnest(ARRAY[400, 401, 402, 0]) AS d`,
    [org.id, org.env],
  );
  const { page, context } = await pageAs(browser, "admin");
  const planId = await previewOnConsole(page, { orgIds: [org.id], categories: ["DRIFT_CHECKS"] });
  const runId = await pausedDailyTask(planId);
  const due = `SELECT count(*)::int AS n FROM plan_items p JOIN drift_checks d ON d.id = p.item_id
               WHERE p.plan_id = $1`;
  const [before] = await query<{ n: number }>(due, [planId]);
  expect(before?.n).toBeGreaterThan(0);

  await page.goto("/");
  const banner = page.getByTestId("review-banner");
  await expect(banner).toContainText("The guard paused 1 task of the daily purge");
  await banner.getByRole("link", { name: "reviews it" }).click();
  await expect(page).toHaveURL(/\/review$/);
  const row = page.getByTestId("paused-task").filter({ hasText: org.name });
  await expect(row).toContainText("Drift checks");
  await expect(row).toContainText("against a baseline of 1 (the median of its last 3 daily runs)");
  await row.getByRole("button", { name: `Approve ${org.name} drift checks` }).click();
  await expect(page.getByText("No task awaits review")).toBeVisible();

  // The approval queued the task; the request's worker deletes its checks.
  await expect
    .poll(async () => (await query<{ n: number }>(due, [planId]))[0]?.n, { timeout: 60_000 })
    .toBe(0);
  await page.goto(`/runs/${runId}`);
  await expect(page.getByTestId("progress-percent")).toHaveText("100%");
  const [run] = await query<{ status: string }>(
    `SELECT status::text FROM purge_runs WHERE id = $1`,
    [runId],
  );
  expect(run?.status).toBe("SUCCEEDED");
  const [audit] = await query<{ org_id: number }>(
    `SELECT org_id FROM audit_log WHERE action = 'purge.review.approved' ORDER BY id DESC LIMIT 1`,
  );
  expect(audit?.org_id).toBe(org.id);
  await context.close();
});
