import { expect, test } from "@playwright/test";
import { query } from "./stack";
import { confirmPlanOnScreen, dryRunOnScreen, pageAs } from "./support";

const DAY = 86_400_000;

test("an admin pins an artifact from its when-and-why, and the next purge keeps it while taking the rest", async ({
  browser,
}) => {
  // An org with no hold or override whose oldest artifact is overdue but
  // young enough that a pin a week ahead is within its plan's ceiling
  // (four times the window after its creation): it is the first item its
  // when-and-why lists.
  const [target] = await query<{ org_id: number; org_name: string; artifact_id: number }>(`
    SELECT DISTINCT ON (o.id) o.id AS org_id, o.name AS org_name, a.id AS artifact_id
    FROM organizations o JOIN artifacts a ON a.org_id = o.id
    WHERE o.plan = 'FREE'
      AND NOT EXISTS (SELECT 1 FROM legal_holds h WHERE h.org_id = o.id AND h.released_at IS NULL)
      AND NOT EXISTS (SELECT 1 FROM retention_overrides r WHERE r.org_id = o.id)
      AND NOT EXISTS (SELECT 1 FROM pins p WHERE p.org_id = o.id)
      AND (SELECT count(*) FROM artifacts x
           WHERE x.org_id = o.id AND x.created_at < now() - interval '31 days') >= 2
      AND (SELECT min(x.created_at) FROM artifacts x WHERE x.org_id = o.id) > now() - interval '100 days'
    ORDER BY o.id, a.created_at, a.id
    LIMIT 1`);
  if (!target) throw new Error("the demo data has no FREE org with young overdue artifacts");
  const until = new Date(Date.now() + 7 * DAY).toISOString().slice(0, 10);

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

  const [before] = await query<{ n: number }>(
    `SELECT count(*)::int AS n FROM artifacts WHERE org_id = $1 AND created_at < now() - interval '30 days'`,
    [target.org_id],
  );
  expect(before?.n).toBeGreaterThanOrEqual(2);
  await dryRunOnScreen(page, target.org_name, "Artifacts");
  await confirmPlanOnScreen(page);
  await expect(page.getByTestId("run-deleted")).toHaveText(String((before?.n ?? 0) - 1));

  const left = await query<{ id: number }>(
    `SELECT id FROM artifacts WHERE org_id = $1 AND created_at < now() - interval '30 days'`,
    [target.org_id],
  );
  expect(left.map((a) => a.id)).toEqual([target.artifact_id]);
  await context.close();
});
