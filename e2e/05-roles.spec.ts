import { expect, test } from "@playwright/test";
import { query } from "./stack";
import { pageAs, postAsConsole } from "./support";

const tables = [
  "purge_runs",
  "retention_overrides",
  "legal_holds",
  "erasure_requests",
  "audit_log",
];
const counts = async () =>
  Object.fromEntries(
    await Promise.all(
      tables.map(async (t) => [
        t,
        (await query<{ n: number }>(`SELECT count(*)::int AS n FROM ${t}`))[0]?.n,
      ]),
    ),
  );

test("a viewer cannot confirm, override, hold or erase: the UI offers none of it and the server refuses forged calls", async ({
  browser,
}) => {
  const operator = await pageAs(browser, "operator");
  const [org] = await query<{ id: number }>(
    `SELECT id FROM organizations WHERE plan = 'BASIC' ORDER BY id LIMIT 1`,
  );
  const preview = await postAsConsole(operator.page, "/api/trpc/purge.preview", {
    json: { orgIds: [org?.id], categories: ["TASK_QUEUE"] },
  });
  expect(preview.status()).toBe(200);
  const planId = ((await preview.json()) as { result: { data: { json: { planId: string } } } })
    .result.data.json.planId;
  await operator.context.close();

  const before = await counts();
  const { page, context } = await pageAs(browser, "viewer");
  await page.goto(`/purge/${planId}`);
  await expect(page.getByTestId("plan-items")).toBeVisible();
  await expect(page.getByRole("button", { name: /^Confirm and/ })).toHaveCount(0);
  await expect(page.getByText("Only operators and admins confirm purges.")).toBeVisible();
  await page.goto("/purge");
  await expect(page.getByRole("button", { name: "Dry run" })).toBeDisabled();
  await page.goto("/policies");
  await expect(page.getByText("Only admins set overrides.")).toBeVisible();
  await expect(page.getByText("Set an override")).toHaveCount(0);
  await expect(page.getByText("Place a legal hold")).toHaveCount(0);
  await expect(page.getByRole("button", { name: "Release" })).toHaveCount(0);
  await page.goto("/erasure");
  await expect(page.getByText("Only admins request and approve GDPR erasures.")).toBeVisible();

  const forged: [string, unknown][] = [
    ["purge.confirm", { planId, acknowledgement: null }],
    ["purge.preview", { orgIds: [org?.id], categories: null }],
    ["policies.setOverride", { orgId: org?.id, category: "ARTIFACTS", days: 60, reason: "forged" }],
    ["holds.place", { scope: "ORG", orgId: org?.id, reason: "forged" }],
    ["erasure.request", { scope: "ORGANIZATION", orgId: org?.id, reason: "forged" }],
  ];
  for (const [path, input] of forged) {
    const response = await postAsConsole(page, `/api/trpc/${path}`, { json: input });
    expect(response.status(), path).toBe(403);
    expect(await response.text()).toMatch(/you are signed in as VIEWER/);
  }
  const api = await postAsConsole(page, `/api/orgs/${org?.id}/retention/purge`, {});
  expect(api.status()).toBe(403);
  expect(await counts()).toEqual(before);
  await context.close();
});
