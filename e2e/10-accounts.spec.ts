import { expect, test } from "@playwright/test";
import { query } from "./stack";
import { pageAs, screenshotBothThemes } from "./support";

test("an admin adds a user, sees the one-time password once; the user must choose a new password, then sees the console", async ({
  browser,
}) => {
  const email = `new.operator.${Date.now()}@example.com`;
  const admin = await pageAs(browser, "admin");
  await admin.page.goto("/users");
  const form = admin.page.getByRole("form", { name: "Add a user" });
  await form.getByLabel("Email").fill(email);
  await form.getByLabel("Name").fill("Nora New");
  await form.getByLabel("Role").selectOption("OPERATOR");
  await form.getByRole("button", { name: "Add user" }).click();
  const dialog = admin.page.getByRole("dialog", { name: "User added" });
  await expect(dialog).toContainText(`Give ${email} this one-time password`);
  await expect(dialog.getByRole("button", { name: "Copy" })).toBeVisible();
  const oneTime = (await dialog.getByTestId("secret-value").innerText()).trim();
  expect(oneTime).toMatch(/^[\w-]{20}$/);
  await screenshotBothThemes(admin.page, "users-one-time-password");
  await dialog.getByRole("button", { name: "Done" }).click();
  const row = admin.page.getByRole("row").filter({ hasText: email });
  await expect(row).toContainText("one-time password");
  // Shown once: not on the page any more, nor after a reload, nor in the database.
  await expect(admin.page.getByText(oneTime)).toHaveCount(0);
  await admin.page.reload();
  await expect(admin.page.getByRole("row").filter({ hasText: email })).toBeVisible();
  await expect(admin.page.getByText(oneTime)).toHaveCount(0);
  const [stored] = await query<{ password_hash: string }>(
    "SELECT password_hash FROM users WHERE email = $1",
    [email],
  );
  expect(stored?.password_hash).toMatch(/^\$2[aby]\$12\$/);
  await admin.context.close();

  const context = await browser.newContext();
  const page = await context.newPage();
  await page.goto("/login");
  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Password").fill(oneTime);
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page).toHaveURL(/\/choose-password$/);
  await expect(page.getByRole("heading", { name: "Choose a new password" })).toBeVisible();
  // Nothing else answers until the password is chosen.
  await page.goto("/runs");
  await expect(page).toHaveURL(/\/choose-password$/);
  const forged = await page.request.get("/api/trpc/overview.status");
  expect(forged.status()).toBe(403);
  expect(await forged.text()).toContain("choose a new password first");
  expect((await page.request.get("/api/deletions/export")).status()).toBe(403);

  await page.getByLabel("One-time password").fill(oneTime);
  await page.getByLabel("New password", { exact: true }).fill("nora's own long passphrase");
  await page.getByLabel("New password again").fill("nora's own long passphrase");
  await page.getByRole("button", { name: "Save new password" }).click();
  await expect(page.getByRole("heading", { name: "Overview" })).toBeVisible();
  await expect(page.getByRole("button", { name: /Account menu/ })).toContainText("OPERATOR");
  await page.goto("/choose-password");
  await expect(page).toHaveURL(/\/$/);
  await context.close();
});

test("a viewer cannot reach the Users screen: no link, no list, forged calls refused", async ({
  browser,
}) => {
  const { page, context } = await pageAs(browser, "viewer");
  await page.goto("/");
  const nav = page.getByRole("navigation", { name: "Sections" });
  await expect(nav.getByRole("link", { name: "API tokens" })).toBeVisible();
  await expect(nav.getByRole("link", { name: "Users" })).toHaveCount(0);
  await page.goto("/users");
  await expect(page.getByText("Only admins manage users.")).toBeVisible();
  await expect(page.getByRole("form", { name: "Add a user" })).toHaveCount(0);
  const [before] = await query<{ n: number }>("SELECT count(*)::int AS n FROM users");
  for (const [path, input] of [
    ["users.create", { email: "forged@example.com", name: "Forged", role: "ADMIN" }],
    ["users.setRole", { userId: 1, role: "VIEWER" }],
  ] as const) {
    const response = await page.request.post(`/api/trpc/${path}`, { data: { json: input } });
    expect(response.status(), path).toBe(403);
  }
  expect((await page.request.get("/api/trpc/users.list")).status()).toBe(403);
  const [after] = await query<{ n: number }>("SELECT count(*)::int AS n FROM users");
  expect(after?.n).toBe(before?.n);
  await context.close();
});

test("a viewer creates a READ token, sees it once, uses it, and revokes it", async ({
  browser,
}) => {
  const { page, context } = await pageAs(browser, "viewer");
  await page.goto("/tokens");
  const form = page.getByRole("form", { name: "Create an API token" });
  await expect(form.getByLabel("Scope").locator("option")).toHaveText([
    "Read: run manifests, deletions CSV",
  ]);
  await form.getByLabel("Name").fill("grafana");
  await form.getByLabel("Expires after (days)").fill("30");
  await form.getByRole("button", { name: "Create token" }).click();
  const dialog = page.getByRole("dialog", { name: "API token created" });
  const token = (await dialog.getByTestId("secret-value").innerText()).trim();
  expect(token).toMatch(/^lethe_/);
  await dialog.getByRole("button", { name: "Done" }).click();
  const row = page.getByRole("row").filter({ hasText: "grafana" });
  await expect(row).toContainText("READ");
  await expect(row).toContainText("live");

  const api = await browser.newContext();
  const bearer = { authorization: `Bearer ${token}` };
  expect((await api.request.get("/api/deletions/export", { headers: bearer })).status()).toBe(200);
  await row.getByRole("button", { name: "Revoke token grafana" }).click();
  await expect(row).toContainText("revoked");
  expect((await api.request.get("/api/deletions/export", { headers: bearer })).status()).toBe(401);
  await api.close();
  await context.close();
});
