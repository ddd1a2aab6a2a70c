import { expect, test } from "@playwright/test";
import { query } from "./stack";
import { confirmPlanOnScreen, pageAs, previewOnConsole } from "./support";

test("a purge that archives prompts says what it deletes and what it archives: preview, confirmation and result", async ({
  browser,
}) => {
  const [org] = await query<{ id: number }>(`
    SELECT o.id FROM organizations o
    WHERE EXISTS (SELECT 1 FROM prompts p WHERE p.org_id = o.id AND p.archived_at IS NULL AND p.created_at < now() - interval '30 days')
      AND EXISTS (SELECT 1 FROM errors e WHERE e.org_id = o.id AND e.resolved_at < now() - interval '60 days')
      AND NOT EXISTS (SELECT 1 FROM legal_holds h WHERE h.org_id = o.id AND h.released_at IS NULL)
      AND NOT EXISTS (SELECT 1 FROM retention_overrides r WHERE r.org_id = o.id)
    ORDER BY o.id LIMIT 1`);
  if (!org) throw new Error("the demo data has no org with old prompts and old resolved errors");
  const { page, context } = await pageAs(browser, "operator");
  const planId = await previewOnConsole(page, {
    orgIds: [org.id],
    categories: ["ERRORS", "PROMPTS"],
  });
  const [planned] = await query<{ deletes: number; archives: number }>(
    `SELECT coalesce(sum(item_count) FILTER (WHERE category <> 'PROMPTS'), 0)::int AS deletes,
            coalesce(sum(item_count) FILTER (WHERE category = 'PROMPTS'), 0)::int AS archives
     FROM plan_entries WHERE plan_id = $1`,
    [planId],
  );
  const deletes = (planned?.deletes ?? 0).toLocaleString("en-US");
  const archives = (planned?.archives ?? 0).toLocaleString("en-US");
  expect(planned?.deletes).toBeGreaterThan(0);
  expect(planned?.archives).toBeGreaterThan(0);

  await page.goto(`/purge/${planId}`);
  await expect(page.getByTestId("plan-actions")).toHaveText(
    `deletes ${deletes} · archives ${archives}`,
  );
  await expect(
    page.getByRole("button", {
      name: `Confirm and delete ${deletes} and archive ${archives} items`,
    }),
  ).toBeVisible();
  await confirmPlanOnScreen(page);
  await expect(page.getByTestId("run-deleted")).toHaveText(deletes);
  await expect(page.getByTestId("run-archived")).toHaveText(archives);
  await context.close();
});
