import { expect, test } from "@playwright/test";
import { query } from "./stack";
import { pageAs, postAsConsole, screenshotBothThemes } from "./support";

test("every page renders in light and dark mode without a page error (screenshots in e2e/screenshots/)", async ({
  browser,
}) => {
  // Two dozen pages, each in two themes, after a run of its own: longer than one page's test.
  test.setTimeout(240_000);
  const [incident] = await query<{ id: number }>(
    `SELECT id FROM incidents ORDER BY payload_purged_at DESC NULLS LAST, id LIMIT 1`,
  );
  const { page, context } = await pageAs(browser, "admin");
  // A finished run of its own for the plan and run pages, so this spec also runs alone.
  const [org] = await query<{ id: number; name: string }>(
    `SELECT id, name FROM organizations o WHERE NOT EXISTS
       (SELECT 1 FROM legal_holds h WHERE h.org_id = o.id AND h.released_at IS NULL) ORDER BY id LIMIT 1`,
  );
  const started = await postAsConsole(page, `/api/orgs/${org?.id}/retention/purge`, {
    categories: ["TASK_QUEUE", "DRIFT_CHECKS"],
    acknowledgement: org?.name,
  });
  expect(started.status()).toBe(202);
  const run = (await started.json()) as { runId: string; planId: string };
  await page.goto(`/runs/${run.runId}`);
  await expect(page.getByTestId("progress-percent")).toHaveText("100%", { timeout: 60_000 });
  const pages: [string, string, string][] = [
    ["overview", "/", "Overview"],
    ["policies", "/policies", "Policies"],
    ["deletions", "/deletions", "Upcoming deletions"],
    ["purge", "/purge", "Dry run & purge"],
    ["plan", `/purge/${run.planId}`, "Dry run"],
    ["incidents", "/incidents", "Incidents"],
    ["incident", `/incidents/${incident?.id}`, `Incident #${incident?.id}`],
    ["environments", "/environments", "Environments"],
    ["runs", "/runs", "Purge runs"],
    ["run", `/runs/${run.runId}`, "Purge run"],
    ["org-history", `/orgs/${org?.id}/history`, "Retention history"],
    ["storage", "/storage", "Storage"],
    ["audit", "/audit", "Audit log"],
    ["erasure", "/erasure", "GDPR erasure"],
    ["tokens", "/tokens", "API tokens"],
    ["users", "/users", "Users"],
  ];
  // A hydration mismatch (React error 418) re-renders the page from scratch
  // and drops the clicks made meanwhile: it counts as a broken page.
  const errors: string[] = [];
  let current = "";
  page.on("pageerror", (error) => errors.push(`${current}: ${error.message}`));
  for (const [name, path, heading] of pages) {
    current = path;
    await page.goto(path);
    await expect(page.getByRole("heading", { level: 1, name: heading })).toBeVisible();
    await page.waitForLoadState("networkidle");
    await expect(page.locator('[role="status"][aria-live="polite"]')).toHaveCount(0);
    await screenshotBothThemes(page, name);
  }
  expect(errors).toEqual([]);
  await context.close();
  const signedOut = await browser.newPage();
  await signedOut.goto("/login");
  await screenshotBothThemes(signedOut, "login");
  await signedOut.close();
});
