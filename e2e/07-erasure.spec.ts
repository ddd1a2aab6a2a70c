import { expect, test, type Browser } from "@playwright/test";
import { objectExists, query } from "./stack";
import { pageAs } from "./support";

type Member = { id: number; org_id: number; org_name: string; external_id: string };

/** An enterprise member with at least 3 artifacts, of an org under no hold (the first not yet erased). */
async function memberWithArtifacts() {
  const [member] = await query<Member>(`
    SELECT m.id, m.org_id, o.name AS org_name, m.external_id FROM members m JOIN organizations o ON o.id = m.org_id
    WHERE o.plan = 'ENTERPRISE' AND NOT EXISTS (SELECT 1 FROM legal_holds h WHERE h.org_id = o.id AND h.released_at IS NULL)
      AND (SELECT count(*) FROM artifacts a WHERE a.member_id = m.id) >= 3
    ORDER BY m.id LIMIT 1`);
  if (!member) throw new Error("the demo data has no enterprise member with artifacts");
  return member;
}

/** One admin requests the erasure of `member`'s artifacts on screen. */
async function requestOnScreen(browser: Browser, member: Member, reason: string) {
  const first = await pageAs(browser, "admin");
  await first.page.goto("/erasure");
  const form = first.page.getByRole("form", { name: "Request a GDPR erasure" });
  await form.getByLabel("Search organizations").fill(member.org_name);
  await form.getByLabel("Organization", { exact: true }).selectOption(String(member.org_id));
  await form.getByLabel("Whose artifacts").selectOption(String(member.id));
  await form.getByLabel("Reason").fill(reason);
  await form.getByRole("button", { name: "Request erasure" }).click();
  const mine = first.page.getByTestId("erasure-request").filter({ hasText: reason });
  await expect(mine.getByText("Waiting for a second admin to approve.")).toBeVisible();
  // Its requester cannot decide on it.
  await expect(mine.getByRole("button", { name: "Preview erasure" })).toHaveCount(0);
  await first.context.close();
}

test("GDPR erasure of one member: one admin requests, the same admin cannot approve, a second admin previews and approves", async ({
  browser,
}) => {
  const member = await memberWithArtifacts();
  const theirs = await query<{ id: number; object_key: string }>(
    `SELECT id, object_key FROM artifacts WHERE member_id = $1`,
    [member.id],
  );
  const [others] = await query<{ n: number }>(
    `SELECT count(*)::int AS n FROM artifacts WHERE org_id = $1 AND member_id IS DISTINCT FROM $2`,
    [member.org_id, member.id],
  );
  await requestOnScreen(browser, member, "DSR-2026-0117");

  const second = await pageAs(browser, "admin2");
  await second.page.goto("/erasure");
  const request = second.page.getByTestId("erasure-request").filter({ hasText: "DSR-2026-0117" });
  await expect(request.getByTestId("erasure-scope")).toHaveText(
    `Member ${member.external_id} (#${member.id})`,
  );
  await request.getByRole("button", { name: "Preview erasure" }).click();
  await expect(request.getByTestId("erasure-preview")).toContainText(
    `Will erase ${theirs.length} artifacts`,
  );
  await expect(request.getByTestId("erasure-preview")).toContainText(
    `Scope: Member ${member.external_id} (#${member.id})`,
  );
  await expect(request.getByTestId("erasure-sample")).toContainText(
    new RegExp(`artifact #(${theirs.map((a) => a.id).join("|")})\\b`),
  );
  // Final, so approved only once its org's name is typed.
  const approve = request.getByRole("button", { name: "Approve and erase" });
  await expect(approve).toBeDisabled();
  await request.getByLabel(`Type ${member.org_name} to approve`).fill("not the org");
  await expect(approve).toBeDisabled();
  await request.getByLabel(`Type ${member.org_name} to approve`).fill(member.org_name);
  await approve.click();
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
  const [decision] = await query<{ id: number; run_id: string; status: string; same: boolean }>(
    `SELECT id, run_id, status::text, requested_by_id = decided_by_id AS same FROM erasure_requests WHERE reason = 'DSR-2026-0117'`,
  );
  expect(decision).toMatchObject({ status: "EXECUTED", same: false });

  // The run and the audit log name the scope as it was requested (the audit by ids only).
  const scope = `Member ${member.external_id} (#${member.id})`;
  await second.page.goto(`/runs/${decision?.run_id}`);
  await expect(second.page.getByTestId("run-erasure")).toHaveText(
    `GDPR erasure #${decision?.id} · ${scope} · executed: everything in its scope was erased`,
  );
  await second.page.goto("/audit");
  await second.page.getByLabel("Action starts with").fill("erasure.executed");
  // Its own row: the requested and approved entries share the target until the filter applies.
  const entry = second.page
    .getByRole("row")
    .filter({ hasText: `erasure:${decision?.id}` })
    .filter({ hasText: "erasure.executed" });
  await expect(entry).toContainText(`of member #${member.id}`);
  await second.context.close();
});

test("a member deleted after its erasure was requested: every screen says so, the preview is refused, nothing is deleted", async ({
  browser,
}) => {
  const member = await memberWithArtifacts();
  await requestOnScreen(browser, member, "DSR-2026-0201");
  const [before] = await query<{ n: number }>(
    `SELECT count(*)::int AS n FROM artifacts WHERE org_id = $1`,
    [member.org_id],
  );
  // The governed SaaS deletes the member: its artifacts no longer say whose they were.
  await query(`DELETE FROM members WHERE id = $1`, [member.id]);

  const { page, context } = await pageAs(browser, "admin2");
  await page.goto("/erasure");
  const request = page.getByTestId("erasure-request").filter({ hasText: "DSR-2026-0201" });
  await expect(request.getByTestId("erasure-scope")).toHaveText(
    `Member ${member.external_id} (#${member.id}) — no longer exists`,
  );
  await request.getByRole("button", { name: "Preview erasure" }).click();
  await expect(request.getByRole("alert")).toContainText(
    "the member was deleted after the request was made, and its artifacts no longer say whose they were. Nothing was deleted. Reject this request",
  );
  const [after] = await query<{ n: number }>(
    `SELECT count(*)::int AS n FROM artifacts WHERE org_id = $1`,
    [member.org_id],
  );
  expect(after?.n).toBe(before?.n);
  await request.getByRole("button", { name: "Reject" }).click();
  await expect(request.getByText("rejected", { exact: true })).toBeVisible();
  await context.close();
});

test("an erasure that leaves an artifact under legal hold ends incomplete with why, and is approved again once the hold is released", async ({
  browser,
}) => {
  const member = await memberWithArtifacts();
  const [held] = await query<{ id: number }>(
    `SELECT id FROM artifacts WHERE member_id = $1 ORDER BY id LIMIT 1`,
    [member.id],
  );
  const [hold] = await query<{ id: number }>(
    `INSERT INTO legal_holds (org_id, scope, artifact_id, reason, placed_by_id)
     SELECT $1, 'ARTIFACT', $2, 'copyright claim', id FROM users WHERE email LIKE 'admin@%' RETURNING id`,
    [member.org_id, held?.id],
  );
  await requestOnScreen(browser, member, "DSR-2026-0202");

  const { page, context } = await pageAs(browser, "admin2");
  await page.goto("/erasure");
  const request = page.getByTestId("erasure-request").filter({ hasText: "DSR-2026-0202" });
  await request.getByRole("button", { name: "Preview erasure" }).click();
  await expect(request.getByTestId("erasure-kept")).toContainText(
    "1 of its artifacts is under a legal hold of its own and is kept: the request will end incomplete",
  );
  await request.getByLabel(`Type ${member.org_name} to approve`).fill(member.org_name);
  await request.getByRole("button", { name: "Approve and erase" }).click();
  await expect(request.getByTestId("erasure-incomplete")).toContainText(
    "Not everything was erased: 1 artifact kept by a legal hold on them.",
    { timeout: 60_000 },
  );
  await expect(request.getByText("incomplete", { exact: true })).toBeVisible();
  // The run's page says what the hold kept, though its plan never held that artifact.
  const [first] = await query<{ run_id: string }>(
    `SELECT run_id FROM erasure_requests WHERE reason = 'DSR-2026-0202'`,
  );
  await page.goto(`/runs/${first?.run_id}`);
  await expect(page.getByTestId("run-erasure")).toContainText(
    "incomplete: 1 artifact kept by a legal hold on them",
  );

  await query(`UPDATE legal_holds SET released_at = now() WHERE id = $1`, [hold?.id]);
  await page.goto("/erasure");
  await request.getByRole("button", { name: "Preview erasure" }).click();
  await expect(request.getByTestId("erasure-preview")).toContainText("Will erase 1 artifact (");
  await request.getByLabel(`Type ${member.org_name} to approve`).fill(member.org_name);
  await request.getByRole("button", { name: "Approve and erase" }).click();
  // A finished run refreshes the list.
  await expect(request.getByText("executed", { exact: true })).toBeVisible({ timeout: 60_000 });
  const [left] = await query<{ n: number }>(
    `SELECT count(*)::int AS n FROM artifacts WHERE member_id = $1`,
    [member.id],
  );
  expect(left?.n).toBe(0);
  await context.close();
});
