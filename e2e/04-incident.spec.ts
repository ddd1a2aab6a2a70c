import { expect, test } from "@playwright/test";
import { query } from "./stack";
import { confirmPlanOnScreen, pageAs } from "./support";

test("incident detail after purge: the page still loads, with the banner and the timeline", async ({
  browser,
}) => {
  const [incident] = await query<{ id: number }>(`
    SELECT i.id FROM incidents i JOIN organizations o ON o.id = i.org_id
    JOIN incident_payloads p ON p.incident_id = i.id
    WHERE i.status = 'CLOSED' AND i.closed_at < now() - interval '400 days' AND o.plan IN ('BASIC', 'PRO')
      AND NOT EXISTS (SELECT 1 FROM legal_holds h WHERE h.org_id = o.id AND h.released_at IS NULL AND (h.scope = 'ORG' OR h.incident_id = i.id))
    ORDER BY i.id LIMIT 1`);
  if (!incident) throw new Error("the demo data has no long-closed incident");
  const { page, context } = await pageAs(browser, "operator");
  await page.goto(`/incidents/${incident.id}`);
  await expect(page.getByTestId("drift-summary")).toBeVisible();
  await page.getByRole("button", { name: "Dry run: purge this payload" }).click();
  await expect(page.getByTestId("plan-items")).toHaveText("1 items");
  await confirmPlanOnScreen(page);

  await page.goto(`/incidents/${incident.id}`);
  await expect(page.getByTestId("purged-banner")).toContainText(
    "Incident drift details were purged per retention policy.",
  );
  await expect(page.getByTestId("purged-banner")).toContainText(/Purged on \d{4}-\d{2}-\d{2}/);
  await expect(page.getByTestId("timeline").getByRole("listitem")).toHaveCount(5);
  await expect(page.getByText("Not retained: see the banner above.")).toBeVisible();
  const [row] = await query<{ purged: boolean; payloads: number }>(
    `SELECT payload_purged_at IS NOT NULL AS purged, (SELECT count(*)::int FROM incident_payloads WHERE incident_id = $1) AS payloads
     FROM incidents WHERE id = $1`,
    [incident.id],
  );
  expect(row).toEqual({ purged: true, payloads: 0 });

  const [open] = await query<{ id: number }>(
    `SELECT id FROM incidents WHERE status <> 'CLOSED' ORDER BY id LIMIT 1`,
  );
  await page.goto(`/incidents/${open?.id}`);
  await expect(page.getByTestId("drift-summary")).toBeVisible();
  await expect(page.getByRole("button", { name: "Dry run: purge this payload" })).toHaveCount(0);
  await context.close();
});
