import { expect, test } from "@playwright/test";
import { query } from "./stack";
import { confirmPlanOnScreen, pageAs, postAsConsole } from "./support";

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

test("an incident whose approvals were purged says how many were purged and when, not that none were requested", async ({
  browser,
}) => {
  const approvals = await query<{ id: number; incident_id: number; org_id: number }>(`
    WITH candidate AS (
      SELECT i.id FROM incidents i JOIN organizations o ON o.id = i.org_id
      WHERE i.status = 'CLOSED' AND o.plan IN ('BASIC', 'PRO')
        AND NOT EXISTS (SELECT 1 FROM legal_holds h WHERE h.org_id = o.id AND h.released_at IS NULL AND (h.scope = 'ORG' OR h.incident_id = i.id))
        AND EXISTS (SELECT 1 FROM approvals a WHERE a.incident_id = i.id)
        AND NOT EXISTS (SELECT 1 FROM approvals a WHERE a.incident_id = i.id AND a.created_at > now() - interval '181 days')
      ORDER BY i.id LIMIT 1)
    SELECT a.id, a.incident_id, a.org_id FROM approvals a JOIN candidate c ON c.id = a.incident_id`);
  const incident = approvals[0];
  if (!incident) throw new Error("the demo data has no closed incident with old approvals");
  const { page, context } = await pageAs(browser, "operator");
  await page.goto(`/incidents/${incident.incident_id}`);
  await expect(page.getByRole("table", { name: "Approvals of lifecycle actions" })).toBeVisible();
  await expect(page.getByTestId("approvals-purged")).toHaveCount(0);

  const preview = await postAsConsole(page, "/api/trpc/purge.preview", {
    json: {
      orgIds: [incident.org_id],
      categories: ["APPROVALS"],
      only: { category: "APPROVALS", ids: approvals.map((a) => a.id) },
    },
  });
  expect(preview.status()).toBe(200);
  const planId = ((await preview.json()) as { result: { data: { json: { planId: string } } } })
    .result.data.json.planId;
  await page.goto(`/purge/${planId}`);
  await confirmPlanOnScreen(page);

  await page.goto(`/incidents/${incident.incident_id}`);
  const [today] = await query<{ day: string }>(
    `SELECT to_char(now() AT TIME ZONE 'UTC', 'YYYY-MM-DD') AS day`,
  );
  const n = approvals.length;
  await expect(page.getByTestId("approvals-purged")).toHaveText(
    `${n} ${n === 1 ? "approval was" : "approvals were"} purged per retention policy on ${today?.day}.`,
  );
  await expect(page.getByText("No approvals were requested.")).toHaveCount(0);
  await context.close();
});

test("the incident's environment link opens that environment, with its drift checks", async ({
  browser,
}) => {
  const [incident] = await query<{
    id: number;
    environment_id: number;
    name: string;
    org: string;
  }>(`
    SELECT i.id, e.id AS environment_id, e.name, o.name AS org
    FROM incidents i JOIN environments e ON e.id = i.environment_id JOIN organizations o ON o.id = i.org_id
    WHERE EXISTS (SELECT 1 FROM environments s WHERE s.org_id = i.org_id AND s.id <> e.id)
    ORDER BY i.id LIMIT 1`);
  if (!incident) throw new Error("the demo data has no incident in an org of several environments");
  const { page, context } = await pageAs(browser, "viewer");
  await page.goto(`/incidents/${incident.id}`);
  await page.getByRole("link", { name: incident.name, exact: true }).click();
  await expect(page).toHaveURL(new RegExp(`/environments/${incident.environment_id}$`));
  await expect(page.getByTestId("environment-name")).toHaveText(incident.name);
  await expect(page.getByText(incident.org).first()).toBeVisible();
  await context.close();
});
