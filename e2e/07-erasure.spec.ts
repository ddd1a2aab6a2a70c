import { expect, test } from "@playwright/test";
import { objectExists, query } from "./stack";
import { pageAs } from "./support";

test("GDPR erasure of one member: one admin requests, the same admin cannot approve, a second admin previews and approves", async ({
  browser,
}) => {
  const [member] = await query<{
    id: number;
    org_id: number;
    org_name: string;
    external_id: string;
  }>(`
    SELECT m.id, m.org_id, o.name AS org_name, m.external_id FROM members m JOIN organizations o ON o.id = m.org_id
    WHERE o.plan = 'ENTERPRISE' AND NOT EXISTS (SELECT 1 FROM legal_holds h WHERE h.org_id = o.id AND h.released_at IS NULL)
      AND (SELECT count(*) FROM artifacts a WHERE a.member_id = m.id) >= 3
    ORDER BY m.id LIMIT 1`);
  if (!member) throw new Error("the demo data has no enterprise member with artifacts");
  const theirs = await query<{ id: number; object_key: string }>(
    `SELECT id, object_key FROM artifacts WHERE member_id = $1`,
    [member.id],
  );
  const [others] = await query<{ n: number }>(
    `SELECT count(*)::int AS n FROM artifacts WHERE org_id = $1 AND member_id IS DISTINCT FROM $2`,
    [member.org_id, member.id],
  );

  const first = await pageAs(browser, "admin");
  await first.page.goto("/erasure");
  const form = first.page.getByRole("form", { name: "Request a GDPR erasure" });
  await form.getByLabel("Search organizations").fill(member.org_name);
  await form.getByLabel("Organization", { exact: true }).selectOption(String(member.org_id));
  await form.getByLabel("Whose artifacts").selectOption(String(member.id));
  await form.getByLabel("Reason").fill("DSR-2026-0117");
  await form.getByRole("button", { name: "Request erasure" }).click();
  await expect(first.page.getByText("Waiting for a second admin to approve.")).toBeVisible();
  await expect(first.page.getByRole("button", { name: "Preview erasure" })).toHaveCount(0);
  await first.context.close();

  const second = await pageAs(browser, "admin2");
  await second.page.goto("/erasure");
  const request = second.page.getByTestId("erasure-request").filter({ hasText: "DSR-2026-0117" });
  await request.getByRole("button", { name: "Preview erasure" }).click();
  await expect(request.getByTestId("erasure-preview")).toContainText(
    `Will erase ${theirs.length} artifacts`,
  );
  await request.getByRole("button", { name: "Approve and erase" }).click();
  await expect(request.getByTestId("progress-percent")).toHaveText("100%", { timeout: 60_000 });

  const [left] = await query<{ n: number }>(
    `SELECT count(*)::int AS n FROM artifacts WHERE member_id = $1`,
    [member.id],
  );
  expect(left?.n).toBe(0);
  for (const a of theirs) expect(objectExists(a.object_key)).toBe(false);
  const [othersAfter] = await query<{ n: number }>(
    `SELECT count(*)::int AS n FROM artifacts WHERE org_id = $1 AND member_id IS DISTINCT FROM $2`,
    [member.org_id, member.id],
  );
  expect(othersAfter?.n).toBe(others?.n);
  const [decision] = await query<{ status: string; same: boolean }>(
    `SELECT status::text, requested_by_id = decided_by_id AS same FROM erasure_requests ORDER BY id DESC LIMIT 1`,
  );
  expect(decision).toEqual({ status: "EXECUTED", same: false });
  await second.context.close();
});
