import { randomUUID } from "node:crypto";
import { mkdir, writeFile } from "node:fs/promises";
import path from "node:path";
import { expect, test } from "@playwright/test";
import { objectExists, query, stackEnv } from "./stack";
import { confirmPlanOnScreen, pageAs, postAsConsole, previewOnConsole } from "./support";

/**
 * An org of its own (earlier specs purge the demo's old data): BASIC, three
 * artifacts 400 days old with their objects in storage, and an incident
 * closed 400 days ago with its drift details.
 */
async function orgWithOldArtifactsAndIncident() {
  const tag = randomUUID().slice(0, 8);
  const [org] = await query<{ id: number; name: string }>(
    `INSERT INTO organizations (name, slug, plan) VALUES ($1, $2, 'BASIC') RETURNING id, name`,
    [`Restore Co ${tag}`, `restore-${tag}`],
  );
  if (!org) throw new Error("could not create the org");
  for (let i = 0; i < 3; i++) {
    const key = `orgs/${org.id}/artifacts/${tag}-${i}.md`;
    const file = path.join(stackEnv().STORAGE_DIR, key);
    await mkdir(path.dirname(file), { recursive: true });
    await writeFile(file, `artifact ${i} of ${org.name}`);
    await query(
      `INSERT INTO artifacts (org_id, kind, title, object_key, bytes, created_at)
       VALUES ($1, 'BLOG_POST', $2, $3, $4, now() - interval '400 days')`,
      [org.id, `post ${i}`, key, Buffer.byteLength(`artifact ${i} of ${org.name}`)],
    );
  }
  const [incident] = await query<{ id: number }>(
    `WITH env AS (INSERT INTO environments (org_id, name) VALUES ($1, 'prod') RETURNING id),
     incident AS (
       INSERT INTO incidents (org_id, environment_id, title, status, detected_at, closed_at)
       SELECT $1, env.id, 'drift in prod', 'CLOSED', now() - interval '402 days', now() - interval '400 days'
       FROM env RETURNING id)
     INSERT INTO incident_payloads (incident_id, drift_summary, bytes)
     SELECT id, '{"workflows": [{"name": "deploy", "flag": "MODIFIED", "changedFiles": 2}]}'::jsonb, 80
     FROM incident RETURNING incident_id AS id`,
    [org.id],
  );
  return { ...org, incident: incident?.id ?? 0 };
}

const kept = (runId: string, category: string) =>
  query<{ item_id: number; object_key: string | null; restored: boolean }>(
    `SELECT item_id, object_key, restored_at IS NOT NULL AS restored FROM kept_items
     WHERE run_id = $1 AND category = $2 ORDER BY item_id`,
    [runId, category],
  );

test("an admin purges an org, sees it restorable until a date, restores its artifacts, and finds rows and objects back", async ({
  browser,
}) => {
  test.setTimeout(180_000);
  const org = await orgWithOldArtifactsAndIncident();
  const { page, context } = await pageAs(browser, "admin");
  const planId = await previewOnConsole(page, {
    orgIds: [org.id],
    categories: ["ARTIFACTS", "INCIDENT_PAYLOADS"],
  });
  await page.goto(`/purge/${planId}`);
  await confirmPlanOnScreen(page);
  const [run] = await query<{ id: string }>(`SELECT id FROM purge_runs WHERE plan_id = $1`, [
    planId,
  ]);
  const runId = run?.id ?? "";

  // Purged: gone from the live table, the objects untouched, in their 7-day window.
  const artifacts = await kept(runId, "ARTIFACTS");
  expect(artifacts.length).toBeGreaterThan(0);
  const ids = artifacts.map((a) => a.item_id);
  const live = `SELECT count(*)::int AS n FROM artifacts WHERE id = ANY($1::int[])`;
  expect((await query<{ n: number }>(live, [ids]))[0]?.n).toBe(0);
  for (const a of artifacts) if (a.object_key) expect(objectExists(a.object_key)).toBe(true);
  const [{ until } = { until: "" }] = await query<{ until: string }>(
    `SELECT to_char(max(restorable_until) AT TIME ZONE 'UTC', 'YYYY-MM-DD') AS until
     FROM kept_items WHERE run_id = $1`,
    [runId],
  );

  // The result says what did not free its bytes yet, and why.
  const [{ n: keptItems } = { n: 0 }] = await query<{ n: number }>(
    `SELECT count(*)::int AS n FROM kept_items WHERE run_id = $1`,
    [runId],
  );
  await expect(page.getByTestId("run-in-window")).toContainText(
    `${keptItems} ${keptItems === 1 ? "item" : "items"}`,
  );
  await expect(page.getByTestId("run-in-window")).toContainText("wait in their restore window");

  await page.goto(`/incidents/${org.incident}`);
  await expect(page.getByTestId("purged-banner")).toContainText(
    "Incident drift details were purged per retention policy.",
  );
  await expect(page.getByTestId("restorable-until")).toContainText(
    `Purged, restorable until ${until}`,
  );

  await page.goto("/storage");
  await expect(page.getByTestId("awaiting-detail")).toContainText("Artifacts");

  await page.goto(`/runs/${runId}`);
  const rows = page.getByTestId("restore-row");
  const artifactRow = rows.filter({ hasText: "Artifacts" });
  await expect(artifactRow).toContainText(`restorable until ${until}`);
  await expect(rows.filter({ hasText: "Incident payloads" })).toContainText("restorable until");
  await page.getByRole("button", { name: `Restore ${org.name} artifacts` }).click();
  const n = `${artifacts.length} ${artifacts.length === 1 ? "item" : "items"}`;
  await expect(page.getByTestId("restore-what")).toContainText(`${n} of ${org.name}'s artifacts`);
  await page.getByRole("button", { name: `Restore ${n}` }).click();
  await expect(artifactRow).toContainText("restored on");
  // Only that org × category came back: the payload still waits in its window.
  await expect(rows.filter({ hasText: "Incident payloads" })).toContainText("restorable until");
  // The run's result still counts them as it purged them, and says they came back.
  await expect(page.getByTestId("run-restored")).toHaveText(
    `${n} of what this run purged ${artifacts.length === 1 ? "was" : "were"} restored since: counted above as the run purged them, they are back in their tables.`,
  );

  // The rows are back with their ids, the objects where they were.
  expect((await query<{ n: number }>(live, [ids]))[0]?.n).toBe(ids.length);
  for (const a of await kept(runId, "ARTIFACTS")) {
    expect(a.restored).toBe(true);
    if (a.object_key) expect(objectExists(a.object_key)).toBe(true);
  }
  await page.goto(`/incidents/${org.incident}`);
  await expect(page.getByTestId("restorable-until")).toBeVisible();
  // The org's history says what came back, beside the run that purged it.
  await page.goto(`/orgs/${org.id}/history`);
  await expect(
    page.getByTestId("history-entry").filter({ hasText: "Restored what a run purged" }),
  ).toContainText(`Artifacts ${n}`);
  await context.close();
});

test("a viewer sees what is restorable but has no Restore button, and the procedure refuses it", async ({
  browser,
}) => {
  const [run] = await query<{ run_id: string }>(
    `SELECT run_id FROM kept_items WHERE restored_at IS NULL ORDER BY kept_at DESC LIMIT 1`,
  );
  if (!run) throw new Error("nothing waits in a restore window: run the admin's test first");
  const { page, context } = await pageAs(browser, "viewer");
  await page.goto(`/runs/${run.run_id}`);
  await expect(
    page.getByTestId("restore-row").filter({ hasText: "restorable until" }).first(),
  ).toBeVisible();
  await expect(page.getByRole("button", { name: /^Restore/ })).toHaveCount(0);
  const refused = await postAsConsole(page, "/api/trpc/restore.restore", {
    json: { runId: run.run_id },
  });
  expect(refused.status()).toBe(403);
  expect(await refused.text()).toContain("needs the ADMIN role");
  const [still] = await query<{ n: number }>(
    `SELECT count(*)::int AS n FROM kept_items WHERE run_id = $1 AND restored_at IS NULL`,
    [run.run_id],
  );
  expect(still?.n).toBeGreaterThan(0);
  await context.close();
});

test("an admin restores one incident's drift details from its page: the banner goes, the summary is back", async ({
  browser,
}) => {
  const [kept] = await query<{ item_id: number }>(
    `SELECT item_id FROM kept_items WHERE category = 'INCIDENT_PAYLOADS' AND restored_at IS NULL
       AND restorable_until > now()
     ORDER BY kept_at DESC LIMIT 1`,
  );
  if (!kept) throw new Error("no incident payload waits in its window: run the admin's test first");
  const { page, context } = await pageAs(browser, "admin");
  await page.goto(`/incidents/${kept.item_id}`);
  await expect(page.getByTestId("restorable-until")).toBeVisible();
  await page.getByRole("button", { name: "Restore the drift details" }).click();
  await expect(page.getByTestId("restore-what")).toContainText("1 item of the drift details");
  await page.getByRole("button", { name: "Restore 1 item" }).click();
  await expect(page.getByTestId("purged-banner")).toHaveCount(0);
  await expect(page.getByTestId("drift-summary")).toBeVisible();
  const [row] = await query<{ purged: boolean; payloads: number }>(
    `SELECT payload_purged_at IS NOT NULL AS purged,
       (SELECT count(*)::int FROM incident_payloads WHERE incident_id = $1) AS payloads
     FROM incidents WHERE id = $1`,
    [kept.item_id],
  );
  expect(row).toEqual({ purged: false, payloads: 1 });
  await context.close();
});
