import { expect, test, type Page } from "@playwright/test";
import { holdWrites, query, queryAsOwner } from "./stack";
import { confirmPlanOnScreen, pageAs } from "./support";

/**
 * A fleet-wide dry run is planned in steps after the response. Each step
 * writes the plan's items and entries, so while the test holds those two
 * tables against writes no step can finish: the page shows the plan as it
 * is before its first step, every time, without timing anything.
 */
const PLANNED_TABLES = ["plan_items", "plan_entries"];

async function fleetDryRunOnScreen(page: Page, category: string) {
  await page.goto("/purge");
  await page.getByLabel("All organizations").check();
  await page.getByRole("checkbox", { name: category }).check();
  await page.getByRole("button", { name: "Dry run" }).click();
  await expect(page).toHaveURL(/\/purge\/[0-9a-f-]{36}$/);
  return page.url().split("/").at(-1) ?? "";
}

const planned = async (planId: string) =>
  (
    await query<{ items: number; entries: number; steps: number }>(
      `SELECT (SELECT count(*) FROM plan_items WHERE plan_id = $1)::int AS items,
              (SELECT count(*) FROM plan_entries WHERE plan_id = $1)::int AS entries,
              (SELECT count(*) FROM plan_steps WHERE plan_id = $1)::int AS steps`,
      [planId],
    )
  )[0];

test("a fleet-wide dry run shows its progress bar, can be left and reopened, then shows the preview and confirms", async ({
  browser,
}) => {
  test.setTimeout(120_000);
  const [fleet] = await query<{ orgs: number }>(`SELECT count(*)::int AS orgs FROM organizations`);
  const { page, context } = await pageAs(browser, "operator");
  const bar = page.getByRole("progressbar", { name: "Planning steps done" });
  const release = await holdWrites(PLANNED_TABLES);
  let planId = "";
  try {
    planId = await fleetDryRunOnScreen(page, "Image analyses");
    await expect(bar).toHaveAttribute("aria-valuenow", "0");
    await expect(bar).toHaveAttribute("aria-valuemax", "100");
    await expect(page.getByTestId("planning-orgs")).toHaveText(
      `0 of ${(fleet?.orgs ?? 0).toLocaleString("en-US")}`,
    );
    await expect(page.getByTestId("planning-categories")).toHaveText("0 of 1");
    await expect(page.getByTestId("planning-items")).toHaveText("0 (0 B)");
    await expect(page.getByTestId("planning-time-left")).toHaveText("estimating…");
    await expect(page.getByRole("button", { name: /^Confirm and/ })).toHaveCount(0);

    // Left, then reopened from the open previews, which show it planning.
    await page.goto("/purge");
    const open = page.getByTestId("open-preview").filter({ hasText: planId.slice(0, 8) });
    await expect(open.getByRole("progressbar")).toHaveAttribute("aria-valuenow", "0");
    await expect(open).toContainText("planning");
    await open.getByRole("link", { name: planId.slice(0, 8) }).click();
    await expect(page).toHaveURL(`/purge/${planId}`);
    await expect(bar).toBeVisible();
  } finally {
    await release();
  }

  // Planned: the preview, as for one org, with the 15 minutes counted from its completion.
  await expect(page.getByTestId("plan-items")).toBeVisible({ timeout: 60_000 });
  await expect(bar).toHaveCount(0);
  const [plan] = await query<{ items: number; window: number }>(
    `SELECT item_count::int AS items, extract(epoch FROM expires_at - planned_at)::int AS window
     FROM purge_plans WHERE id = $1 AND status = 'PREVIEWED'`,
    [planId],
  );
  expect(plan?.window).toBe(15 * 60);
  expect(plan?.items).toBeGreaterThan(0);
  await expect(page.getByTestId("plan-items")).toHaveText(
    `${(plan?.items ?? 0).toLocaleString("en-US")} items`,
  );
  await expect(page.getByTestId("plan-countdown")).toHaveText(/^1[45]:\d\d left$/);
  // The demo's orgs under a legal hold are named as left out, not silently missing.
  const [held] = await query<{ n: number }>(
    `SELECT count(DISTINCT org_id)::int AS n FROM legal_holds WHERE scope = 'ORG' AND released_at IS NULL`,
  );
  expect(held?.n).toBeGreaterThan(0);
  await expect(page.getByTestId("held-out")).toContainText(
    `Left out: ${held?.n} ${held?.n === 1 ? "org" : "orgs"} under a legal hold`,
  );
  const ids = (
    await query<{ item_id: number }>(`SELECT item_id FROM plan_items WHERE plan_id = $1`, [planId])
  ).map((r) => r.item_id);

  await confirmPlanOnScreen(page);
  await expect(page.getByTestId("run-deleted")).toHaveText(
    (plan?.items ?? 0).toLocaleString("en-US"),
  );
  const [left] = await query<{ n: number }>(
    `SELECT count(*)::int AS n FROM image_analyses WHERE id = ANY($1::int[])`,
    [ids],
  );
  expect(left?.n).toBe(0);
  await context.close();
});

test("a cancelled dry run says so, is no longer open, and leaves nothing behind", async ({
  browser,
}) => {
  const { page, context } = await pageAs(browser, "operator");
  const release = await holdWrites(PLANNED_TABLES);
  let planId = "";
  let steps: string[] = [];
  try {
    planId = await fleetDryRunOnScreen(page, "Task queue entries");
    await expect(page.getByRole("progressbar", { name: "Planning steps done" })).toBeVisible();
    steps = (
      await query<{ id: number }>(`SELECT id FROM plan_steps WHERE plan_id = $1`, [planId])
    ).map((s) => String(s.id));
    expect(steps.length).toBeGreaterThan(0);
    await page.getByRole("button", { name: "Cancel dry run" }).click();
  } finally {
    // A step already waiting for the tables goes on once they are free, and must find the plan cancelled.
    await release();
  }
  await expect(page.getByTestId("plan-closed")).toContainText(
    "This dry run was cancelled before it finished",
  );
  await expect(page.getByRole("button", { name: /^Confirm and/ })).toHaveCount(0);
  await expect.poll(() => planned(planId)).toEqual({ items: 0, entries: 0, steps: 0 });
  const [jobs] = await queryAsOwner<{ n: number }>(
    `SELECT count(*)::int AS n FROM pgboss.job
     WHERE data->>'stepId' = ANY($1::text[]) AND state IN ('created', 'retry', 'active')`,
    [steps],
  );
  expect(jobs?.n).toBe(0);
  await page.goto("/purge");
  await expect(
    page.getByTestId("open-preview").filter({ hasText: planId.slice(0, 8) }),
  ).toHaveCount(0);
  await context.close();
});
