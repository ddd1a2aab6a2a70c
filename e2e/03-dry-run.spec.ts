import { expect, test } from "@playwright/test";
import { objectExists, query } from "./stack";
import { confirmPlanOnScreen, dryRunOnScreen, pageAs } from "./support";

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
  const planId = await dryRunOnScreen(page, org.name, "Artifacts");

  const planned = await query<{ item_id: number; object_key: string }>(
    `SELECT a.id AS item_id, a.object_key FROM plan_items p JOIN artifacts a ON a.id = p.item_id WHERE p.plan_id = $1`,
    [planId],
  );
  expect(planned.length).toBeGreaterThan(0);
  await expect(page.getByTestId("plan-items")).toHaveText(`${planned.length} items`);
  await expect(page.getByTestId("plan-entry")).toHaveCount(1);
  await expect(page.getByTestId("plan-entry")).toContainText("eligible since");
  // Before confirming, the operator reads that artifacts can still be restored after the run.
  await expect(page.getByTestId("plan-entry")).toContainText("restorable 7 days");
  await expect(page.getByTestId("plan-undo")).toHaveText(
    `${planned.length} restorable for up to 7 days after the run`,
  );

  await confirmPlanOnScreen(page);
  await expect(page.getByTestId("run-deleted")).toHaveText(planned.length.toLocaleString("en-US"));

  const left = await query<{ n: number }>(
    `SELECT count(*)::int AS n FROM artifacts WHERE id = ANY($1::int[])`,
    [planned.map((p) => p.item_id)],
  );
  expect(left[0]?.n).toBe(0);
  // Into the restore window (7 days for artifacts): the rows wait as kept items, each
  // object untouched until the final deletion.
  const [kept] = await query<{ n: number }>(
    `SELECT count(*)::int AS n FROM kept_items WHERE category = 'ARTIFACTS'
       AND item_id = ANY($1::int[]) AND restored_at IS NULL`,
    [planned.map((p) => p.item_id)],
  );
  expect(kept?.n).toBe(planned.length);
  for (const p of planned) expect(objectExists(p.object_key), p.object_key).toBe(true);
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

  // The audit log, narrowed to the org, has the purge's confirmation and end, by
  // whom and with its counts in words, and leads to the run.
  const [run] = await query<{ id: string }>(`SELECT id FROM purge_runs WHERE plan_id = $1`, [
    planId,
  ]);
  const count = planned.length.toLocaleString("en-US");
  const items = `${count} item${planned.length === 1 ? "" : "s"}`;
  await page.goto(`/audit?org=${org.id}`);
  await expect(page.getByTestId("audit-org")).toContainText(org.name);
  const entry = (action: string) =>
    page
      .getByRole("row")
      .filter({ hasText: action })
      .filter({ hasText: run?.id.slice(0, 8) });
  await expect(entry("purge.confirmed")).toContainText("Otto Operator");
  await expect(entry("purge.confirmed")).toContainText(
    `started a purge of ${items} in 1 category for ${org.name}`,
  );
  await expect(entry("purge.finished")).toContainText(
    `deleted ${items} in 1 category for ${org.name}`,
  );
  await entry("purge.confirmed")
    .getByRole("link", { name: `run:${run?.id.slice(0, 8)}` })
    .click();
  await expect(page).toHaveURL(`/runs/${run?.id}`);
  await expect(page.getByRole("heading", { level: 1, name: "Purge run" })).toBeVisible();
  await context.close();
});

test("a fleet-wide dry run lists the five largest shares above the guardrail and counts the rest", async ({
  browser,
}) => {
  const { page, context } = await pageAs(browser, "operator");
  await page.goto("/purge");
  await page.getByLabel("All organizations").check();
  await page.getByRole("checkbox", { name: "Drift checks" }).check();
  await page.getByRole("button", { name: "Dry run" }).click();
  await expect(page).toHaveURL(/\/purge\/[0-9a-f-]{36}$/);
  const planId = page.url().split("/").at(-1) ?? "";
  // Planned in the background: its entries are all there once the preview shows.
  await expect(page.getByTestId("plan-items")).toBeVisible({ timeout: 60_000 });

  // Every org × category entry above the default guardrail share (PURGE_GUARDRAIL_SHARE 0.5), largest first.
  const entries = await query<{ org: string; items: number; total: number }>(
    `SELECT o.name AS org, e.item_count AS items, e.total_items AS total
     FROM plan_entries e JOIN organizations o ON o.id = e.org_id WHERE e.plan_id = $1 AND e.total_items > 0`,
    [planId],
  );
  const above = entries
    .map((e) => ({ org: e.org, share: e.items / e.total }))
    .filter((e) => e.share > 0.5)
    .sort((a, b) => b.share - a.share);
  expect(above.length, "the demo data has more than five orgs above the share").toBeGreaterThan(5);

  const reasons = page.getByRole("alert").getByRole("listitem");
  await expect(reasons).toHaveCount(6);
  const more = above.length - 5;
  await expect(reasons.last()).toHaveText(
    `${more === 1 ? "One more organization × category entry passes" : `Another ${more} organization × category entries pass`} the same share (the largest are listed above).`,
  );
  // The five listed are the largest shares (among equal shares, any of them).
  const fifth = above[4]?.share ?? 1;
  for (const text of (await reasons.allInnerTexts()).slice(0, 5)) {
    const [, percent, org] = /^It takes (\d+)% of (.+)'s drift checks\.$/.exec(text) ?? [];
    const entry = above.find((a) => a.org === org);
    expect(entry, text).toBeDefined();
    expect(entry?.share).toBeGreaterThanOrEqual(fifth);
    expect(String(Math.round((entry?.share ?? 0) * 100))).toBe(percent);
  }
  await context.close();
});

test("a preview one no longer needs is discarded from the open previews: its page says so and its items are gone", async ({
  browser,
}) => {
  const [org] = await query<{ id: number; name: string }>(`
    SELECT o.id, o.name FROM organizations o
    WHERE NOT EXISTS (SELECT 1 FROM legal_holds h WHERE h.org_id = o.id AND h.released_at IS NULL)
      AND EXISTS (SELECT 1 FROM errors e WHERE e.org_id = o.id AND e.resolved_at < now() - interval '30 days')
    ORDER BY o.id LIMIT 1`);
  if (!org) throw new Error("the demo data has no org with old resolved errors");
  const { page, context } = await pageAs(browser, "operator");
  await page.goto("/purge");
  await page.getByLabel("Search organizations").fill(org.name);
  await page.getByRole("checkbox", { name: new RegExp(org.name.replace(/[&]/g, "\\$&")) }).check();
  await page.getByRole("checkbox", { name: "Errors (resolved)" }).check();
  await page.getByRole("button", { name: "Dry run" }).click();
  await expect(page).toHaveURL(/\/purge\/[0-9a-f-]{36}$/);
  const planId = page.url().split("/").at(-1) ?? "";
  const items = async () =>
    (
      await query<{ n: number }>(`SELECT count(*)::int AS n FROM plan_items WHERE plan_id = $1`, [
        planId,
      ])
    )[0]?.n;
  expect(await items()).toBeGreaterThan(0);

  await page.goto("/purge");
  const open = page.getByTestId("open-preview").filter({ hasText: planId.slice(0, 8) });
  await open.getByRole("button", { name: "Discard preview" }).click();
  await expect(open).toHaveCount(0);
  expect(await items()).toBe(0);

  await page.goto(`/purge/${planId}`);
  await expect(page.getByTestId("plan-status")).toHaveText("discarded");
  await expect(page.getByTestId("plan-closed")).toContainText("This preview was discarded");
  await expect(page.getByTestId("plan-closed")).toContainText("Its list of items was deleted");
  await expect(page.getByRole("button", { name: /^Confirm and/ })).toHaveCount(0);
  await context.close();
});
