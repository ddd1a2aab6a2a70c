import { expect, test } from "@playwright/test";
import { query } from "./stack";
import { confirmPlanOnScreen, dryRunOnScreen, pageAs } from "./support";

const DAY = 86_400_000;

test("an admin pins an artifact from its when-and-why, and the next purge keeps it while taking the rest", async ({
  browser,
}) => {
  // An org with no hold, override or pin, on a plan that keeps artifacts a
  // year and lets a pin keep one up to four years after its creation: its
  // oldest artifact is overdue, and the first item its when-and-why lists.
  const [target] = await query<{ org_id: number; org_name: string; artifact_id: number }>(`
    SELECT DISTINCT ON (o.id) o.id AS org_id, o.name AS org_name, a.id AS artifact_id
    FROM organizations o JOIN artifacts a ON a.org_id = o.id
    WHERE o.plan IN ('PRO', 'AGENCY')
      AND NOT EXISTS (SELECT 1 FROM legal_holds h WHERE h.org_id = o.id AND h.released_at IS NULL)
      AND NOT EXISTS (SELECT 1 FROM retention_overrides r WHERE r.org_id = o.id)
      AND NOT EXISTS (SELECT 1 FROM pins p WHERE p.org_id = o.id)
      AND (SELECT count(*) FROM artifacts x
           WHERE x.org_id = o.id AND x.created_at < now() - interval '366 days') >= 2
    ORDER BY o.id, a.created_at, a.id
    LIMIT 1`);
  if (!target) throw new Error("the demo data has no PRO or AGENCY org with overdue artifacts");
  const until = new Date(Date.now() + 5 * DAY).toISOString().slice(0, 10);

  const { page, context } = await pageAs(browser, "admin");
  await page.goto("/deletions");
  await page.getByLabel("Category", { exact: true }).selectOption("ARTIFACTS");
  await page.getByLabel("Organization", { exact: true }).fill(target.org_name);
  const table = page.getByRole("table", {
    name: "Upcoming deletions by organization and category",
  });
  await expect(table.locator("tbody tr")).toHaveCount(1);
  await table.locator("tbody tr").first().click();
  const dialog = page.getByRole("dialog");
  await expect(dialog.locator("li").first()).toContainText(`#${target.artifact_id}`);
  await dialog.getByRole("button", { name: "Check it now" }).first().click();
  await expect(dialog.getByTestId("explanation")).toContainText(/eligible since/);

  await dialog.getByLabel("Keep until").fill(until);
  await dialog.getByLabel("Reason").fill("Customer dispute, ticket 4411");
  await dialog.getByRole("button", { name: "Pin", exact: true }).click();
  await expect(dialog.getByTestId("pinned-until")).toContainText(
    new RegExp(`Pinned until ${until} by .+: Customer dispute, ticket 4411`),
  );
  await expect(dialog.getByTestId("explanation")).toHaveText(
    new RegExp(`^kept because: pinned until ${until} by .+: Customer dispute, ticket 4411$`),
  );
  await page.keyboard.press("Escape");

  const planId = await dryRunOnScreen(page, target.org_name, "Artifacts");
  const [planned] = await query<{ n: number }>(
    `SELECT coalesce(sum(item_count), 0)::int AS n FROM plan_entries WHERE plan_id = $1`,
    [planId],
  );
  expect(planned?.n).toBeGreaterThanOrEqual(1);
  await confirmPlanOnScreen(page);
  await expect(page.getByTestId("run-deleted")).toHaveText(String(planned?.n));

  // What the run took is gone; the pinned one, older than all of it, is kept.
  const left = await query<{ id: number }>(
    `SELECT id FROM artifacts WHERE org_id = $1 AND created_at < now() - interval '366 days'`,
    [target.org_id],
  );
  expect(left.map((a) => a.id)).toEqual([target.artifact_id]);

  // And its when-and-why still says why.
  await page.goto("/deletions");
  await page.getByLabel("Category", { exact: true }).selectOption("ARTIFACTS");
  await page.getByLabel("Organization", { exact: true }).fill(target.org_name);
  await expect(table.locator("tbody tr")).toHaveCount(1);
  await table.locator("tbody tr").first().click();
  const after = page.getByRole("dialog");
  await expect(after.locator("li").first()).toContainText(`#${target.artifact_id}`);
  await after.getByRole("button", { name: "Check it now" }).first().click();
  await expect(after.getByTestId("explanation")).toHaveText(
    new RegExp(`^kept because: pinned until ${until} by .+: Customer dispute, ticket 4411$`),
  );
  await context.close();
});
