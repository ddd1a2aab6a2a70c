import { expect, test } from "@playwright/test";
import { query } from "./stack";
import { pageAs, postAsConsole } from "./support";

test("what-if: an override shows what it would delete before saving; bounds are enforced; saving is audited", async ({
  browser,
}) => {
  const [org] = await query<{ id: number; name: string }>(`
    SELECT o.id, o.name FROM organizations o
    WHERE o.plan = 'BASIC' AND NOT EXISTS (SELECT 1 FROM legal_holds h WHERE h.org_id = o.id AND h.scope = 'ORG' AND h.released_at IS NULL)
    ORDER BY o.id DESC LIMIT 1`);
  const { page, context } = await pageAs(browser, "admin");
  await page.goto("/policies");
  await page.getByText("Set an override").click();
  const form = page.getByRole("form", { name: "Set an org override" });
  await form.getByLabel("Search organizations").fill(org?.name ?? "");
  await form.getByLabel("Organization", { exact: true }).selectOption(String(org?.id));
  await form.getByLabel("Category").selectOption("ARTIFACTS");
  await expect(form.getByText("Allowed: 45–360 days.")).toBeVisible();
  await form.getByLabel("Window (days)").fill("20");
  await expect(form.getByText("Must be between 45 and 360 days for this plan.")).toBeVisible();
  await expect(form.getByRole("button", { name: "Save override" })).toBeDisabled();

  await form.getByLabel("Window (days)").fill("60");
  const [expected] = await query<{ n: number }>(
    `SELECT count(*)::int AS n FROM artifacts a WHERE a.org_id = $1 AND a.created_at < now() - interval '60 days'
       AND NOT EXISTS (SELECT 1 FROM legal_holds h WHERE h.artifact_id = a.id AND h.released_at IS NULL)`,
    [org?.id],
  );
  const proposed = form.getByTestId("what-if").getByRole("row", { name: /Proposed window/ });
  await expect(proposed).toContainText(`${expected?.n} items`);
  await form.getByLabel("Reason").fill("Contract amendment 2026-11");
  await form.getByRole("button", { name: "Save override" }).click();
  await expect(page.getByText("Override saved and audited.")).toBeVisible();

  const saved = await query<{ days: number }>(
    `SELECT days FROM retention_overrides WHERE org_id = $1 AND category = 'ARTIFACTS'`,
    [org?.id],
  );
  expect(saved).toEqual([{ days: 60 }]);
  const audited = await query<{ n: number }>(
    `SELECT count(*)::int AS n FROM audit_log WHERE action = 'policy.override.set' AND org_id = $1`,
    [org?.id],
  );
  expect(audited[0]?.n).toBe(1);
  await context.close();
});

test("legal hold: a reason too short is refused and holds nothing; a held org's items vanish from the preview, and come back when released", async ({
  browser,
}) => {
  const [org] = await query<{ id: number; name: string }>(`
    SELECT o.id, o.name FROM organizations o
    WHERE o.plan = 'PRO' AND NOT EXISTS (SELECT 1 FROM legal_holds h WHERE h.org_id = o.id AND h.released_at IS NULL)
    ORDER BY o.id LIMIT 1`);
  const { page, context } = await pageAs(browser, "admin");
  const preview = async () => {
    const response = await postAsConsole(page, "/api/trpc/purge.preview", {
      json: { orgIds: [org?.id], categories: null },
    });
    const planId = ((await response.json()) as { result: { data: { json: { planId: string } } } })
      .result.data.json.planId;
    await page.goto(`/purge/${planId}`);
    return page.getByTestId("plan-items").innerText();
  };
  expect(await preview()).not.toBe("0 items");

  await page.goto("/policies");
  await page.getByText("Place a legal hold").click();
  const form = page.getByRole("form", { name: "Place a legal hold" });
  await form.getByLabel("Search organizations").fill(org?.name ?? "");
  await form.getByLabel("Organization", { exact: true }).selectOption(String(org?.id));
  // The form checks with the procedure's own schema, which it loads once it is on screen.
  await form.getByLabel("Reason").fill("no");
  await form.getByRole("button", { name: "Place legal hold" }).click();
  await expect(form.getByRole("alert")).toHaveText(
    "Reason: needs a reason of at least 3 characters",
  );
  const unheld = `SELECT id FROM legal_holds WHERE org_id = $1 AND released_at IS NULL`;
  expect(await query(unheld, [org?.id])).toHaveLength(0);
  await form.getByLabel("Reason").fill("Regulator inquiry 2026-11");
  await form.getByRole("button", { name: "Place legal hold" }).click();
  await expect(page.getByText(/Legal hold #\d+ placed/)).toBeVisible();
  const [hold] = await query<{ id: number }>(
    `SELECT id FROM legal_holds WHERE org_id = $1 AND scope = 'ORG' AND released_at IS NULL`,
    [org?.id],
  );
  expect(hold).toBeDefined();

  expect(await preview()).toBe("0 items");

  await page.goto("/policies");
  await page
    .getByTestId("holds-table")
    .getByRole("row", { name: new RegExp(`#${hold?.id} `) })
    .getByRole("button", { name: "Release" })
    .click();
  // A release names what the hold keeps and asks why; without a reason nothing is released.
  const dialog = page.getByRole("dialog", { name: `Release legal hold #${hold?.id}?` });
  await expect(dialog).toContainText(org?.name ?? "");
  await dialog.getByRole("button", { name: "Release the hold" }).click();
  await expect(
    dialog.getByText("Why it is released: needs a reason of at least 3 characters"),
  ).toBeVisible();
  expect(await query(unheld, [org?.id])).toHaveLength(1);
  await dialog.getByLabel("Why it is released").fill("case 2026-CV-0142 settled");
  await dialog.getByRole("button", { name: "Release the hold" }).click();
  await expect(page.getByText(`Legal hold #${hold?.id} released`, { exact: false })).toBeVisible();
  await expect(dialog).toHaveCount(0);
  const [audited] = await query<{ reason: string }>(
    `SELECT details->>'reason' AS reason FROM audit_log WHERE action = 'hold.released' AND target = $1`,
    [`hold:${hold?.id}`],
  );
  expect(audited?.reason).toBe("case 2026-CV-0142 settled");
  expect(await preview()).not.toBe("0 items");
  await context.close();
});

test("a plan's what-if names the variable to set only for a window the server accepts", async ({
  browser,
}) => {
  const { page, context } = await pageAs(browser, "viewer");
  await page.goto("/policies");
  const days = page.locator("#whatif-days");
  await days.fill("99999");
  await expect(page.getByText("Between 1 and 2555 days.")).toBeVisible();
  await expect(page.getByText(/RETENTION_DAYS_ARTIFACTS_FREE=/)).toHaveCount(0);
  await days.fill("45");
  await expect(page.getByText("Between 1 and 2555 days.")).toHaveCount(0);
  await expect(page.getByText("RETENTION_DAYS_ARTIFACTS_FREE=45")).toBeVisible();
  await context.close();
});
