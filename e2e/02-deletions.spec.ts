import { expect, test } from "@playwright/test";
import { readFile } from "node:fs/promises";
import { readCsv } from "../test/csv";
import { query } from "./stack";
import { pageAs } from "./support";

test("browse upcoming deletions: table, chart and CSV agree with the database", async ({
  browser,
}) => {
  const { page, context } = await pageAs(browser, "viewer");
  await page.goto("/deletions");
  await page.getByRole("radio", { name: "30 days" }).click();
  await page.getByLabel("Plan", { exact: true }).selectOption("PRO");
  await page.getByLabel("Category", { exact: true }).selectOption("SCENE_ITERATIONS");
  await expect(page).toHaveURL(/plan=PRO/);
  await expect(page).toHaveURL(/category=SCENE_ITERATIONS/);

  // Independently: PRO keeps scene iterations 60 days; the next 30 days run
  // through the end of the 30th day ahead (UTC), so what was created before
  // that moment − 60 days falls due.
  const [expected] = await query<{ n: string; orgs: string }>(`
    SELECT count(*)::text AS n, count(DISTINCT s.org_id)::text AS orgs
    FROM scene_iterations s JOIN organizations o ON o.id = s.org_id
    WHERE o.plan = 'PRO'
      AND s.created_at < date_trunc('day', now() AT TIME ZONE 'UTC') + interval '31 days' - interval '60 days'
      AND NOT EXISTS (SELECT 1 FROM legal_holds h WHERE h.org_id = o.id AND h.scope = 'ORG' AND h.released_at IS NULL)`);
  const table = page.getByRole("table", {
    name: "Upcoming deletions by organization and category",
  });
  await expect(table.getByRole("row")).toHaveCount(Number(expected?.orgs) + 1);
  const itemCells = await table.locator("tbody tr td:nth-child(4)").allInnerTexts();
  const tableTotal = itemCells.reduce((sum, text) => sum + Number(text.replace(/,/g, "")), 0);
  expect(tableTotal).toBe(Number(expected?.n));
  await expect(page.getByTestId("forecast-total-items")).toHaveText(
    Number(expected?.n).toLocaleString("en-US"),
  );

  const [download] = await Promise.all([
    page.waitForEvent("download"),
    page.getByRole("link", { name: "Export CSV" }).click(),
  ]);
  const text = await readFile((await download.path()) ?? "", "utf8");
  expect(text.split("\n")[0]).toBe(
    "organization_id,organization,plan,category,items,bytes,first_due,last_due",
  );
  const csv = readCsv(text);
  expect(csv.records).toHaveLength(Number(expected?.orgs));
  expect(csv.trailer).toEqual({ rows: Number(expected?.orgs), sha256: csv.sha256 });
  const csvTotal = csv.records.reduce((sum, r) => sum + Number(r.items), 0);
  expect(csvTotal).toBe(Number(expected?.n));
  expect(csv.records.every((r) => r.plan === "PRO" && r.category === "SCENE_ITERATIONS")).toBe(
    true,
  );

  // Any row says when and why its items go.
  await table.locator("tbody tr").first().click();
  const dialog = page.getByRole("dialog");
  const first = dialog.getByRole("listitem").first();
  await expect(first).toContainText(/(overdue since|due) \d{4}-\d{2}-\d{2}/);
  await expect(first).toContainText("PRO plan, scene iterations 60 days");
  // Checked now, the item says the same rule once, with what it means today.
  await first.getByRole("button", { name: "Check it now" }).click();
  await expect(first.getByTestId("explanation")).toHaveText(
    /^(eligible since|will be eligible on) \d{4}-\d{2}-\d{2} because PRO plan, scene iterations 60 days$/,
  );
  await expect(first.getByText("PRO plan, scene iterations 60 days")).toHaveCount(1);
  await context.close();
});
