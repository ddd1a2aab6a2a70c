import { createHash } from "node:crypto";
import { mkdtempSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { expect, test } from "@playwright/test";
import { unzipBytes } from "../test/zip-entries";
import { query } from "./stack";
import { pageAs } from "./support";

type Manifest = {
  org: { id: number };
  categories: string[];
  withinDays: number;
  counts: Record<string, { rows: number; objects: number }>;
  files: { path: string; bytes: number; sha256: string }[];
};

test("an admin requests an org's export, waits for its build to finish, downloads it, and its manifest verifies", async ({
  browser,
}) => {
  const { page, context } = await pageAs(browser, "admin");
  // A FREE org (artifacts kept 30 days) with artifacts due within 7 days, under no hold.
  const [org] = await query<{ id: number; name: string; due: string }>(
    `SELECT o.id, o.name, count(*) AS due FROM organizations o JOIN artifacts a ON a.org_id = o.id
     WHERE o.plan = 'FREE' AND a.created_at < now() - interval '23 days'
       AND NOT EXISTS (SELECT 1 FROM legal_holds h WHERE h.released_at IS NULL
                       AND (h.org_id = o.id OR h.artifact_id = a.id))
     GROUP BY o.id ORDER BY count(*) DESC LIMIT 1`,
  );
  expect(Number(org?.due)).toBeGreaterThan(0);
  await page.goto(`/orgs/${org?.id}/history`);
  await page.getByRole("link", { name: "Exports" }).click();
  // The page says whose archive it builds.
  await expect(page.getByRole("heading", { level: 1 })).toHaveText(`Exports · ${org?.name}`);

  // Bad input: 91 days. The browser refuses it and says the bound; no export is made.
  const count = async () =>
    (await query<{ n: string }>(`SELECT count(*) AS n FROM exports`))[0]?.n ?? "0";
  const before = await count();
  await page.getByLabel("Artifacts").check();
  await page.getByLabel("Due within (days)").fill("91");
  await page.getByRole("button", { name: "Request export" }).click();
  const days = page.getByLabel("Due within (days)");
  expect(await days.evaluate((el: HTMLInputElement) => el.validity.rangeOverflow)).toBe(true);
  expect(await days.evaluate((el: HTMLInputElement) => el.validationMessage)).toMatch(/90/);
  expect(await count()).toBe(before);

  await page.getByLabel("Due within (days)").fill("7");
  await page.getByRole("button", { name: "Request export" }).click();
  // The progress bar shows while it builds and gives way to the signed link when it is done.
  const link = page.getByRole("link", { name: /^Download export \d+$/ }).first();
  await expect(link).toBeVisible({ timeout: 60_000 });
  await expect(page.getByTestId("export").first()).toContainText("SHA-256");
  const href = (await link.getAttribute("href")) ?? "";
  expect(href).toMatch(/\/api\/exports\/\d+\/download\?expires=\d+&signature=[0-9a-f]{64}$/);

  const [download] = await Promise.all([page.waitForEvent("download"), link.click()]);
  const file = path.join(mkdtempSync(path.join(os.tmpdir(), "lethe-e2e-export-")), "export.zip");
  await download.saveAs(file);
  const files = await unzipBytes(file);
  const manifest = JSON.parse(files.get("manifest.json")?.toString("utf8") ?? "null") as Manifest;
  expect(manifest).toMatchObject({
    org: { id: org?.id },
    categories: ["ARTIFACTS"],
    withinDays: 7,
    counts: { ARTIFACTS: { rows: Number(org?.due) } },
  });
  for (const f of manifest.files) {
    const bytes = files.get(f.path) ?? Buffer.alloc(0);
    expect({ path: f.path, sha256: createHash("sha256").update(bytes).digest("hex") }).toEqual({
      path: f.path,
      sha256: f.sha256,
    });
  }

  // The link alone downloads, with no session; a changed byte of its signature does not.
  const anonymous = await browser.newContext();
  expect((await anonymous.request.get(href, { maxRedirects: 0 })).status()).toBe(200);
  const tampered = href.replace(
    /signature=(.)/,
    (_, c: string) => `signature=${c === "0" ? "1" : "0"}`,
  );
  expect((await anonymous.request.get(tampered)).status()).toBe(403);
  await anonymous.close();
  await context.close();
});

test("a viewer is told exports are an ADMIN's", async ({ browser }) => {
  const [org] = await query<{ id: number }>(`SELECT id FROM organizations ORDER BY id LIMIT 1`);
  const { page, context } = await pageAs(browser, "viewer");
  await page.goto(`/orgs/${org?.id}/exports`);
  await expect(page.getByText("Exports are requested and downloaded by an ADMIN")).toBeVisible();
  await expect(page.getByRole("button", { name: "Request export" })).toHaveCount(0);
  await context.close();
});
