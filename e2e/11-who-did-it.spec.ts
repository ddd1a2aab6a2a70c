import { createHash, randomBytes } from "node:crypto";
import { expect, test } from "@playwright/test";
import { query } from "./stack";
import { confirmPlanOnScreen, dryRunOnScreen, login, pageAs } from "./support";

/**
 * A FREE org without a hold, other than those the other specs take, given
 * two artifacts past its window (the daily run's spec may have purged the
 * demo's own).
 */
async function orgWithOldArtifacts(skip: number) {
  const [org] = await query<{ id: number; name: string }>(
    `SELECT o.id, o.name FROM organizations o
     WHERE o.plan = 'FREE' AND NOT EXISTS (SELECT 1 FROM legal_holds h WHERE h.org_id = o.id AND h.released_at IS NULL)
     ORDER BY o.id DESC OFFSET $1 LIMIT 1`,
    [skip],
  );
  if (!org) throw new Error("the demo data has too few FREE orgs without a hold");
  await query(
    `INSERT INTO artifacts (org_id, kind, title, object_key, bytes, created_at)
     SELECT $1, 'BLOG_POST', 'e2e: old post', 'e2e/' || gen_random_uuid(), 100, now() - interval '40 days'
     FROM generate_series(1, 2)`,
    [org.id],
  );
  return org;
}

test("the runs list names who started a run and what it covered; a run that skipped what a hold kept says so, the reasons a click away", async ({
  browser,
}) => {
  const org = await orgWithOldArtifacts(0);
  const { page, context } = await pageAs(browser, "operator");
  const planId = await dryRunOnScreen(page, org.name, "Artifacts");
  await expect(page.getByTestId("plan-created-by")).toHaveText("preview by Otto Operator");

  // A legal hold placed after the preview keeps one of its artifacts.
  const [kept] = await query<{ item_id: number }>(
    `SELECT item_id FROM plan_items WHERE plan_id = $1 ORDER BY item_id LIMIT 1`,
    [planId],
  );
  await query(
    `INSERT INTO legal_holds (scope, org_id, artifact_id, reason, placed_by_id)
     VALUES ('ARTIFACT', $1, $2, 'e2e: evidence in a dispute', $3)`,
    [org.id, kept?.item_id, login("admin").id],
  );
  await confirmPlanOnScreen(page);
  await expect(page.getByTestId("run-skipped")).toHaveText("1");

  await page.goto("/runs");
  const row = page.getByRole("row", { name: /Open run started/ }).filter({ hasText: org.name });
  await expect(row).toContainText("Otto Operator");
  await expect(row).toContainText(`1 org (${org.name}) · 1 category`);
  await expect(row).toContainText("succeeded, 1 skipped");
  await row.getByRole("link", { name: "1 skipped" }).click();
  await expect(page).toHaveURL(/\/runs\/[0-9a-f-]{36}#skipped$/);
  await expect(page.getByTestId("run-started-by")).toHaveText(
    `Started by Otto Operator · 1 org (${org.name}) · 1 category · the dry run it carries out`,
  );
  await expect(page.getByTestId("skip-reasons")).toContainText("Artifacts: 1 ×");
  // Back from the run to the preview the operator confirmed: what it found, and its run.
  await page.getByRole("link", { name: "the dry run it carries out" }).click();
  await expect(page).toHaveURL(/\/purge\/[0-9a-f-]{36}$/);
  await expect(page.getByRole("heading", { name: "Dry run" })).toBeVisible();
  await expect(page.getByText(org.name).first()).toBeVisible();
  await context.close();
});

test("a run started with an API token is labelled with the token's name on the runs list, the run page and the audit log", async ({
  browser,
  request,
}) => {
  const org = await orgWithOldArtifacts(1);
  const token = `lethe_${randomBytes(24).toString("base64url")}`;
  await query(
    `INSERT INTO api_tokens (user_id, name, token_hash, scope, expires_at)
     VALUES ($1, 'e2e-nightly', $2, 'PURGE', now() + interval '1 day')`,
    [login("admin").id, createHash("sha256").update(token).digest("hex")],
  );
  // Purging most of one org's artifacts asks for its name, as the console does.
  const response = await request.post(`/api/orgs/${org.id}/retention/purge`, {
    headers: { authorization: `Bearer ${token}` },
    data: { categories: ["ARTIFACTS"], acknowledgement: org.name },
  });
  expect(response.status()).toBe(202);
  const { runId } = (await response.json()) as { runId: string };
  const label = "API token e2e-nightly (Ada Admin)";

  const { page, context } = await pageAs(browser, "viewer");
  await page.goto("/runs");
  const row = page.getByRole("row", { name: /Open run started/ }).filter({ hasText: org.name });
  await expect(row).toContainText(label);
  await page.goto(`/runs/${runId}`);
  await expect(page.getByTestId("run-started-by")).toContainText(`Started by ${label}`);
  await page.goto(`/audit?org=${org.id}&action=purge.confirmed`);
  await expect(page.getByRole("row").filter({ hasText: `run:${runId.slice(0, 8)}` })).toContainText(
    label,
  );
  await context.close();
});
