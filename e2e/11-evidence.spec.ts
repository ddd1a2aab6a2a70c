import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { expect, test, type Page } from "@playwright/test";
import { query } from "./stack";
import { pageAs, postAsConsole, screenshotBothThemes } from "./support";

const DAY = 86_400_000;
const dayOf = (at: number) => new Date(at).toISOString().slice(0, 10);

/** `npm run evidence:verify -- FILE --public-key KEY`, as an auditor runs it: its exit code and what it printed. */
function verify(file: string, key: string) {
  try {
    const out = execFileSync(
      "npx",
      ["tsx", "scripts/evidence.ts", "verify", file, "--public-key", key],
      {
        encoding: "utf8",
      },
    );
    return { code: 0, out };
  } catch (error) {
    const e = error as { status: number; stdout: string };
    return { code: e.status, out: e.stdout };
  }
}

/** Clicks a link that downloads, and saves the file. */
async function downloadFrom(page: Page, name: string | RegExp, folder: string) {
  const [download] = await Promise.all([
    page.waitForEvent("download"),
    page.getByRole("link", { name }).click(),
  ]);
  const file = path.join(folder, download.suggestedFilename());
  await download.saveAs(file);
  return file;
}

test("an admin goes from an org's history to the evidence pack of its last 30 days, downloads it, and it verifies; a changed byte fails", async ({
  browser,
}) => {
  const { page, context } = await pageAs(browser, "admin");
  // A purge of its own, so the period holds deletions of this org whatever ran before.
  const [org] = await query<{ id: number; name: string }>(
    `SELECT id, name FROM organizations o WHERE NOT EXISTS
       (SELECT 1 FROM legal_holds h WHERE h.org_id = o.id AND h.released_at IS NULL) ORDER BY id DESC LIMIT 1`,
  );
  const started = await postAsConsole(page, `/api/orgs/${org?.id}/retention/purge`, {
    categories: ["TASK_QUEUE", "DRIFT_CHECKS", "ERRORS", "ARTIFACTS"],
    acknowledgement: org?.name,
  });
  expect(started.status()).toBe(202);
  const { runId } = (await started.json()) as { runId: string };
  await page.goto(`/runs/${runId}`);
  await expect(page.getByTestId("progress-percent")).toHaveText("100%", { timeout: 60_000 });

  // As an auditor would: from the org's history, where the run is listed, to its evidence.
  // (The purge above may find nothing left: the daily run of an earlier spec can have taken it.)
  const [latest] = await query<{ run_id: string }>(
    `SELECT t.run_id FROM purge_tasks t JOIN purge_runs r ON r.id = t.run_id
     WHERE t.org_id = $1 ORDER BY r.started_at DESC LIMIT 1`,
    [org?.id],
  );
  await page.goto(`/orgs/${org?.id}/history`);
  await expect(page.locator(`a[href="/runs/${latest?.run_id}"]`).first()).toBeVisible();
  await page.getByRole("link", { name: "Evidence pack for this org" }).click();
  await expect(page.getByRole("heading", { level: 1, name: "Evidence" })).toBeVisible();
  await expect(page.locator("select#evidence-org")).toHaveValue(String(org?.id));
  await expect(page.locator("select#evidence-org option:checked")).toContainText(org?.name ?? "");
  await expect(page.getByLabel("From", { exact: true })).toHaveValue(dayOf(Date.now() - 29 * DAY));
  await expect(page.getByLabel("To", { exact: true })).toHaveValue(dayOf(Date.now()));
  await expect(
    page.getByText("This organization's deletions and audit entries only."),
  ).toBeVisible();

  // Bad input: the period ends before it starts. Refused, and no pack is made.
  const [{ count: before } = { count: "0" }] = await query<{ count: string }>(
    `SELECT count(*) FROM evidence_packs`,
  );
  await page.getByLabel("To", { exact: true }).fill(dayOf(Date.now() - 40 * DAY));
  await page.getByRole("button", { name: "Build pack" }).click();
  await expect(page.locator("form").getByRole("alert")).toContainText(
    "to: must be on or after from",
  );
  const [{ count: after } = { count: "0" }] = await query<{ count: string }>(
    `SELECT count(*) FROM evidence_packs`,
  );
  expect(after).toBe(before);

  await page.getByLabel("To", { exact: true }).fill(dayOf(Date.now()));
  await page.getByRole("button", { name: "Build pack" }).click();
  const folder = mkdtempSync(path.join(os.tmpdir(), "lethe-e2e-evidence-"));
  const packLink = page.getByRole("link", { name: /^Download pack \d+$/ }).first();
  await expect(packLink).toBeVisible({ timeout: 60_000 });
  await screenshotBothThemes(page, "evidence");
  const pack = await downloadFrom(page, (await packLink.textContent()) ?? "", folder);
  const key = await downloadFrom(page, "Download public key", folder);
  expect(readFileSync(key, "utf8")).toMatch(/^-----BEGIN PUBLIC KEY-----/);

  const [{ items } = { items: "0" }] = await query<{ items: string }>(
    `SELECT coalesce(sum(cardinality(item_ids)), 0) AS items FROM manifest_batches
     WHERE org_id = $1 AND created_at >= $2::date`,
    [org?.id, dayOf(Date.now() - 29 * DAY)],
  );
  expect(Number(items)).toBeGreaterThan(0);
  await expect(page.getByTestId("evidence-pack").first()).toContainText(
    `${Number(items).toLocaleString("en-US")} items purged`,
  );

  const good = verify(pack, key);
  expect(good, good.out).toMatchObject({
    code: 0,
    out: expect.stringMatching(/^Verified: .*, 9 files/),
  });
  // The page names the key an auditor's check names.
  const signedBy = /signed by key ([0-9a-f]{16})/.exec(good.out)?.[1];
  expect(signedBy).toBeDefined();
  await expect(page.getByTestId("signing-key")).toContainText(`signed with key ${signedBy}`);
  const bytes = readFileSync(pack);
  const middle = Math.floor(bytes.length / 2);
  bytes[middle] = (bytes[middle] ?? 0) ^ 0x01;
  writeFileSync(pack, bytes);
  const bad = verify(pack, key);
  expect(bad.code).toBe(1);
  expect(bad.out).toMatch(/^FAILED: /);
  expect(bad.out).toMatch(/archive's signature .* does not verify/);
  await context.close();
});

test("a viewer neither sees the Evidence section nor downloads a pack", async ({ browser }) => {
  const [pack] = await query<{ id: number }>(
    `SELECT id FROM evidence_packs WHERE status = 'READY' LIMIT 1`,
  );
  const { page, context } = await pageAs(browser, "viewer");
  await page.goto("/");
  await expect(
    page.getByRole("navigation", { name: "Sections" }).getByRole("link", { name: "Evidence" }),
  ).toHaveCount(0);
  await page.goto("/evidence");
  await expect(page.getByText("Evidence packs are built and downloaded by an ADMIN")).toBeVisible();
  const response = await page.request.get(`/api/evidence/packs/${pack?.id ?? 1}`);
  expect(response.status()).toBe(403);
  await context.close();
});
