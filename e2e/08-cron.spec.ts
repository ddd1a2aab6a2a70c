import { expect, test } from "@playwright/test";
import { query, queryAsOwner, stackEnv } from "./stack";
import { pageAs } from "./support";

test("cron: 401 without the secret; with it a run appears on Purge runs, and the Overview shows the new totals and is no longer late", async ({
  browser,
  request,
}) => {
  // The first daily run purges everything the demo data has overdue.
  test.setTimeout(300_000);
  expect((await request.get("/api/cron/retention")).status()).toBe(401);
  expect(
    (
      await request.get("/api/cron/retention", {
        headers: { authorization: "Bearer wrong-secret-wrong-secret" },
      })
    ).status(),
  ).toBe(401);

  // A deployment a day and more old whose daily purge never ran: the Overview says it is late.
  await queryAsOwner(`UPDATE _prisma_migrations SET finished_at = finished_at - interval '2 days'`);
  const { page, context } = await pageAs(browser, "viewer");
  await page.goto("/");
  await expect(page.getByTestId("stale-banner")).toContainText(
    "It has never succeeded on this deployment.",
  );

  const response = await request.get("/api/cron/retention", {
    headers: { authorization: `Bearer ${stackEnv().CRON_SECRET}` },
    timeout: 300_000,
  });
  expect(response.status()).toBe(200);
  const body = (await response.json()) as {
    progress: { id: string; runKey: string; status: string; deleted: string };
  };
  expect(body.progress.runKey).toMatch(/^daily:\d{4}-\d{2}-\d{2}$/);

  await page.goto("/runs");
  const row = page
    .getByRole("row", { name: /Open run started/ })
    .filter({ hasText: "daily schedule" });
  await expect(row.first()).toBeVisible();
  await page.goto(`/runs/${body.progress.id}`);
  await expect(page.getByTestId("progress-percent")).toHaveText("100%", { timeout: 120_000 });
  // The first daily run: what the guard could weigh it against, and its plan confirmed by the schedule.
  await expect(page.getByTestId("run-guard-basis")).toContainText(
    /^The guard (weighed each task's volume against the forecast: there was no earlier daily run|had nothing to weigh this daily run against)/,
  );
  await page.getByRole("link", { name: "the dry run it carries out" }).click();
  await expect(page.getByText("The daily schedule confirmed this purge unattended")).toBeVisible();
  await page.goto(`/runs/${body.progress.id}`);
  // Drift checks went by sweeps: each is listed, ended, with what it deleted,
  // and together they deleted what the orgs' drift-check tasks now count.
  const sweeps = page.getByRole("table", { name: "The run's sweeps" });
  const [swept] = await query<{ n: number; deleted: string; counted: string }>(
    `SELECT count(*)::int AS n, sum(deleted)::text AS deleted,
            (SELECT sum(deleted)::text FROM purge_tasks WHERE run_id = $1 AND category = 'DRIFT_CHECKS') AS counted
     FROM purge_sweeps WHERE run_id = $1`,
    [body.progress.id],
  );
  expect(swept?.n).toBeGreaterThan(0);
  await expect(sweeps.getByRole("row")).toHaveCount((swept?.n ?? 0) + 1);
  await expect(sweeps.getByText("succeeded", { exact: true })).toHaveCount(swept?.n ?? 0);
  await expect(sweeps.getByRole("row").nth(1)).toContainText("Drift checks");
  expect(swept?.deleted).toBe(swept?.counted);

  const [run] = await query<{ status: string; deleted: string }>(
    `SELECT status::text, deleted::text FROM purge_runs WHERE id = $1`,
    [body.progress.id],
  );
  expect(["SUCCEEDED", "PARTIAL"]).toContain(run?.status);
  const [totals] = await query<{ items: string }>(
    `SELECT sum(items)::text AS items FROM storage_snapshots WHERE day = (SELECT max(day) FROM storage_snapshots)`,
  );
  const [stored] = await query<{ n: string }>(`
    SELECT (SELECT count(*) FROM artifacts) + (SELECT count(*) FROM drift_checks) + (SELECT count(*) FROM incident_payloads)
         + (SELECT count(*) FROM approvals) + (SELECT count(*) FROM image_analyses) + (SELECT count(*) FROM memory_items)
         + (SELECT count(*) FROM scene_iterations) + (SELECT count(*) FROM backups) + (SELECT count(*) FROM task_queue_entries)
         + (SELECT count(*) FROM errors) + (SELECT count(*) FROM prompts WHERE archived_at IS NULL) AS n`);
  expect(totals?.items).toBe(stored?.n);
  await page.goto("/");
  await expect(page.getByTestId("total-items")).toHaveText(
    Number(stored?.n).toLocaleString("en-US"),
  );
  await expect(page.getByTestId("stale-banner")).toHaveCount(run?.status === "SUCCEEDED" ? 0 : 1);
  await context.close();
});
