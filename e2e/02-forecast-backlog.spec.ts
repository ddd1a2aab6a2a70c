import { expect, test } from "@playwright/test";
import { query } from "./stack";
import { pageAs } from "./support";

const figure = async (text: Promise<string | null>) => Number((await text)?.replace(/,/g, ""));

test("the overdue backlog is a figure of its own, and the chart shows the days after today", async ({
  browser,
}) => {
  const { page, context } = await pageAs(browser, "viewer");
  await page.goto("/deletions");
  await page.getByRole("radio", { name: "30 days" }).click();

  // The demo data, like a fleet whose purges have not run for a while: most
  // of what the forecast holds is overdue, and no day after today comes close.
  const backlog = page.getByTestId("overdue-backlog-items");
  await expect(backlog).toBeVisible();
  const overdueFleet = await figure(backlog.textContent());
  const flowFleet = await figure(page.getByTestId("chart-total-items").textContent());
  expect(overdueFleet).toBeGreaterThan(flowFleet);
  await expect(page.getByRole("figure", { name: /after today, over 30 days/ })).toBeVisible();
  const today = new Date().toISOString().slice(0, 10);
  const busiest = await page.getByTestId("chart-busiest-day").textContent();
  const [, day, items] =
    /Busiest day: (\d{4}-\d{2}-\d{2}), ([\d,]+) items/.exec(busiest ?? "") ?? [];
  expect(day && day > today).toBe(true);
  expect(Number(items?.replace(/,/g, ""))).toBeLessThanOrEqual(flowFleet);

  // Independently, for one plan and category: PRO keeps scene iterations 60
  // days. Overdue is what falls due before tomorrow (UTC); the flow, what
  // falls due from tomorrow through the end of the 30th day ahead.
  await page.getByLabel("Plan", { exact: true }).selectOption("PRO");
  await page.getByLabel("Category", { exact: true }).selectOption("SCENE_ITERATIONS");
  await expect(page).toHaveURL(/category=SCENE_ITERATIONS/);
  const [expected] = await query<{ overdue: string; flow: string }>(`
    WITH d AS (SELECT date_trunc('day', now() AT TIME ZONE 'UTC') AT TIME ZONE 'UTC' AS today)
    SELECT count(*) FILTER (WHERE s.created_at < d.today + interval '1 day' - interval '60 days')::text AS overdue,
           count(*) FILTER (WHERE s.created_at >= d.today + interval '1 day' - interval '60 days')::text AS flow
    FROM scene_iterations s JOIN organizations o ON o.id = s.org_id CROSS JOIN d
    WHERE o.plan = 'PRO'
      AND s.created_at < d.today + interval '31 days' - interval '60 days'
      AND NOT EXISTS (SELECT 1 FROM legal_holds h WHERE h.org_id = o.id AND h.scope = 'ORG' AND h.released_at IS NULL)`);
  const overdue = Number(expected?.overdue);
  const flow = Number(expected?.flow);
  expect(overdue).toBeGreaterThan(0);
  await expect(backlog).toHaveText(overdue.toLocaleString("en-US"));
  await expect(page.getByTestId("overdue-backlog")).toContainText("overdue");
  await expect(page.getByTestId("overdue-backlog")).toContainText("taken by the next run");
  await expect(page.getByTestId("chart-total-items")).toHaveText(flow.toLocaleString("en-US"));
  await expect(page.getByTestId("forecast-total-items")).toHaveText(
    (overdue + flow).toLocaleString("en-US"),
  );
  await context.close();
});
