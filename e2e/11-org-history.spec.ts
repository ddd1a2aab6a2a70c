import { expect, test } from "@playwright/test";
import { randomUUID } from "node:crypto";
import { formatBytes, formatCount } from "../components/format";
import { query } from "./stack";
import { pageAs, postAsConsole } from "./support";

test("an admin opens an org's history from the Overview, reads what a run deleted per category with bytes, and follows it to the run", async ({
  browser,
}) => {
  // The first org of the Overview's table (by name) whose artifacts a window purges and no hold keeps.
  const [org] = await query<{ id: number; name: string }>(`
    SELECT o.id, o.name FROM organizations o
    WHERE o.plan <> 'ENTERPRISE'
      AND NOT EXISTS (SELECT 1 FROM legal_holds h WHERE h.org_id = o.id AND h.released_at IS NULL)
    ORDER BY o.name LIMIT 1`);
  if (!org) throw new Error("the demo data has no org whose artifacts a window purges");
  // Artifacts past every plan's window, whatever the demo data left due.
  for (const bytes of [1_500_000, 2_500_000, 3_000_000])
    await query(
      `INSERT INTO artifacts (org_id, kind, title, object_key, bytes, created_at)
       VALUES ($1, 'BLOG_POST', 'old post', $2, $3, now() - interval '800 days')`,
      [org.id, `orgs/${org.id}/artifacts/${randomUUID()}.bin`, bytes],
    );

  const { page, context } = await pageAs(browser, "admin");
  const started = await postAsConsole(page, `/api/orgs/${org.id}/retention/purge`, {
    categories: ["ARTIFACTS"],
    acknowledgement: org.name,
  });
  expect(started.status(), await started.text()).toBe(202);
  const { runId } = (await started.json()) as { runId: string };
  await expect
    .poll(
      async () =>
        (await query<{ status: string }>(`SELECT status FROM purge_runs WHERE id = $1`, [runId]))[0]
          ?.status,
      { timeout: 60_000 },
    )
    .toBe("SUCCEEDED");
  // Artifacts go into their 7-day restore window: their bytes are freed when it ends.
  const [task] = await query<{ deleted: number; waiting: string }>(
    `SELECT t.deleted, (SELECT sum(k.bytes) FROM kept_items k
        WHERE k.run_id = t.run_id AND k.org_id = t.org_id AND k.category = t.category)::text AS waiting
     FROM purge_tasks t WHERE t.run_id = $1 AND t.org_id = $2 AND t.category = 'ARTIFACTS'`,
    [runId, org.id],
  );
  expect(task?.deleted).toBeGreaterThanOrEqual(3);
  const items = `${formatCount(task?.deleted ?? 0)} items`;
  const waiting = formatBytes(BigInt(task?.waiting ?? 0));

  await page.goto("/");
  const row = page
    .getByRole("table", { name: "Organizations with their plan and what they store" })
    .getByRole("row")
    .filter({ hasText: org.name });
  await row.getByRole("link", { name: "History" }).click();
  await expect(page).toHaveURL(`/orgs/${org.id}/history`);
  await expect(page.getByTestId("history-org")).toHaveText(org.name);
  await expect(page.getByRole("link", { name: "Evidence pack for this org" })).toHaveAttribute(
    "href",
    `/evidence?org=${org.id}`,
  );

  const entry = page.getByTestId("history-entry").filter({
    has: page.getByRole("link", { name: `Run ${runId.slice(0, 8)}` }),
  });
  await expect(entry).toContainText(
    `Run by API deleted ${items} (${waiting} freed when the restore window ends) in 1 category.`,
  );
  await expect(entry.getByRole("listitem")).toHaveText(
    `Artifacts: deleted ${items} into its restore window (${waiting} freed when it ends)`,
  );
  await expect(entry.getByRole("link", { name: "Manifest (CSV)" })).toHaveAttribute(
    "href",
    `/api/runs/${runId}/manifest?format=csv`,
  );
  await entry.getByRole("link", { name: `Run ${runId.slice(0, 8)}` }).click();
  await expect(page).toHaveURL(`/runs/${runId}`);
  await expect(page.getByRole("heading", { level: 1, name: "Purge run" })).toBeVisible();

  // Narrowed to legal holds, the run is not there.
  await page.goto(`/orgs/${org.id}/history`);
  await page.getByLabel("Kind").selectOption({ label: "Legal holds" });
  await expect(page.getByRole("link", { name: `Run ${runId.slice(0, 8)}` })).toHaveCount(0);
  await context.close();
});

test("a VIEWER reads an org's history; an org id that is not one is a 404", async ({ browser }) => {
  const [org] = await query<{ id: number; name: string }>(
    `SELECT id, name FROM organizations ORDER BY id LIMIT 1`,
  );
  const { page, context } = await pageAs(browser, "viewer");
  await page.goto(`/orgs/${org?.id}/history`);
  await expect(page.getByTestId("history-org")).toHaveText(org?.name ?? "");
  for (const id of ["abc", "0", "2147483648", "999999"]) {
    const response = await page.goto(`/orgs/${id}/history`);
    expect(response?.status(), id).toBe(404);
    await expect(page.getByRole("heading", { level: 1 })).toHaveText("Not found");
  }
  await page.getByRole("link", { name: "Back to the overview" }).click();
  await expect(page).toHaveURL(/\/$/);
  await context.close();
});
