import { expect, test } from "@playwright/test";
import { objectExists, query } from "./stack";
import { confirmPlanOnScreen, pageAs } from "./support";

test("dry run one org's artifacts, confirm, watch it finish; exactly the preview is gone", async ({
  browser,
}) => {
  const [org] = await query<{ id: number; name: string }>(`
    SELECT o.id, o.name FROM organizations o
    WHERE o.plan = 'FREE' AND NOT EXISTS (SELECT 1 FROM legal_holds h WHERE h.org_id = o.id AND h.released_at IS NULL)
      AND EXISTS (SELECT 1 FROM artifacts a WHERE a.org_id = o.id AND a.created_at < now() - interval '30 days')
    ORDER BY o.id LIMIT 1`);
  if (!org) throw new Error("the demo data has no FREE org with old artifacts");
  const [outside] = await query<{ n: number }>(
    `SELECT count(*)::int AS n FROM artifacts WHERE org_id <> $1`,
    [org.id],
  );

  const { page, context } = await pageAs(browser, "operator");
  await page.goto("/purge");
  await page.getByLabel("Search organizations").fill(org.name);
  await page.getByRole("checkbox", { name: new RegExp(org.name.replace(/[&]/g, "\\$&")) }).check();
  await page.getByRole("checkbox", { name: "Artifacts" }).check();
  await page.getByRole("button", { name: "Dry run" }).click();
  await expect(page).toHaveURL(/\/purge\/[0-9a-f-]{36}$/);
  const planId = page.url().split("/").at(-1) ?? "";

  const planned = await query<{ item_id: number; object_key: string }>(
    `SELECT a.id AS item_id, a.object_key FROM plan_items p JOIN artifacts a ON a.id = p.item_id WHERE p.plan_id = $1`,
    [planId],
  );
  expect(planned.length).toBeGreaterThan(0);
  await expect(page.getByTestId("plan-items")).toHaveText(`${planned.length} items`);
  await expect(page.getByTestId("plan-entry")).toHaveCount(1);
  await expect(page.getByTestId("plan-entry")).toContainText("eligible since");

  await confirmPlanOnScreen(page);
  await expect(page.getByTestId("run-deleted")).toHaveText(planned.length.toLocaleString("en-US"));

  const left = await query<{ n: number }>(
    `SELECT count(*)::int AS n FROM artifacts WHERE id = ANY($1::int[])`,
    [planned.map((p) => p.item_id)],
  );
  expect(left[0]?.n).toBe(0);
  for (const p of planned) expect(objectExists(p.object_key), p.object_key).toBe(false);
  const [stillOutside] = await query<{ n: number }>(
    `SELECT count(*)::int AS n FROM artifacts WHERE org_id <> $1`,
    [org.id],
  );
  expect(stillOutside?.n).toBe(outside?.n);
  const [young] = await query<{ n: number }>(
    `SELECT count(*)::int AS n FROM artifacts WHERE org_id = $1 AND created_at > now() - interval '29 days'`,
    [org.id],
  );
  expect(young?.n).toBeGreaterThan(0);
  await context.close();
});
