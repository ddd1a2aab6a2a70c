import { expect, test } from "@playwright/test";
import { NAV_ITEMS } from "../components/shell/nav-items";
import { BASE_URL } from "../playwright.config";
import type { RetentionCategory } from "../server/generated/prisma/enums";
import { CATEGORY_LABELS } from "../server/retention/categories/labels";
import { query } from "./stack";
import { login, pageAs, screenshotBothThemes, signIn } from "./support";

test.describe("signing in and out", () => {
  test("a wrong password is refused without saying which part was wrong", async ({ page }) => {
    await page.goto("/login");
    await page.getByLabel("Email").fill(login("operator").email);
    await page.getByLabel("Password").fill("not-the-password");
    await page.getByRole("button", { name: "Sign in" }).click();
    await expect(page.locator("form").getByRole("alert")).toHaveText(
      "Email or password is incorrect.",
    );
    await page.getByLabel("Email").fill("nobody@lethe.dev");
    await page.getByRole("button", { name: "Sign in" }).click();
    await expect(page.locator("form").getByRole("alert")).toHaveText(
      "Email or password is incorrect.",
    );
    await expect(page).toHaveURL(/\/login/);
  });

  test("no page of the console may be framed by another site", async ({ request }) => {
    for (const path of ["/login", "/purge", "/api/health"]) {
      const response = await request.get(path, { maxRedirects: 0 });
      expect(response.headers()["x-frame-options"], path).toBe("DENY");
      expect(response.headers()["content-security-policy"], path).toContain(
        "frame-ancestors 'none'",
      );
      expect(response.headers()["x-content-type-options"], path).toBe("nosniff");
    }
  });

  test("a page without a session sends you to sign in", async ({ page }) => {
    await page.goto("/runs");
    await expect(page).toHaveURL(/\/login\?callbackUrl=%2Fruns/);
  });

  test("sign in, visit every section, sign out", async ({ page }) => {
    await signIn(page, "admin");
    await screenshotBothThemes(page, "overview");
    for (const item of NAV_ITEMS) {
      await page
        .getByRole("navigation", { name: "Sections" })
        .getByRole("link", { name: item.label })
        .click();
      await expect(page).toHaveURL(new RegExp(`${item.href === "/" ? "/$" : item.href}`));
      await expect(page.getByRole("heading", { level: 1, name: item.label })).toBeVisible();
    }
    await page.getByRole("button", { name: /Account menu/ }).click();
    await page.getByRole("menuitem", { name: "Sign out" }).click();
    await expect(page).toHaveURL(/\/login/);
    await page.goto("/");
    await expect(page).toHaveURL(/\/login/);
  });

  test("five wrong passwords in a row lock the account, and the form says for how long", async ({
    page,
  }) => {
    // An address of its own per run: a reused server remembers earlier lockouts.
    const email = `locked-${Date.now()}@lethe.dev`;
    await page.goto("/login");
    await page.getByLabel("Email").fill(email);
    const alert = page.locator("form").getByRole("alert");
    for (let i = 1; i <= 5; i++) {
      await page.getByLabel("Password").fill(`guess-${i}`);
      await page.getByRole("button", { name: "Sign in" }).click();
      await expect(alert).toHaveText(
        i < 5
          ? "Email or password is incorrect."
          : "Too many failed sign-ins. Try again in 1 minute.",
      );
      // The form is ready again before the next try.
      await expect(page.getByRole("button", { name: "Sign in" })).toBeEnabled();
    }
  });

  test("a callbackUrl that points off the console lands on the Overview after sign-in", async ({
    page,
  }) => {
    const user = login("operator");
    // "/\evil.com" (as the page decodes ?callbackUrl=%2F%5Cevil.com) is evil.com to a browser.
    await page.goto("/login?callbackUrl=%2F%5Cevil.com");
    await page.getByLabel("Email").fill(user.email);
    await page.getByLabel("Password").fill(user.password);
    await page.getByRole("button", { name: "Sign in" }).click();
    await expect(page.getByRole("heading", { name: "Overview" })).toBeVisible();
    expect(new URL(page.url()).host).toBe(new URL(BASE_URL).host);
  });

  for (const role of ["admin", "operator", "viewer"] as const) {
    test(`${role} can sign in and sees their role`, async ({ page }) => {
      await signIn(page, role);
      await expect(page.getByRole("button", { name: /Account menu/ })).toContainText(
        login(role).role,
      );
    });
  }
});

test("the Overview shows the database's real totals", async ({ browser }) => {
  const page = await browser.newPage({ storageState: "e2e/.auth/viewer.json" });
  await page.goto("/");
  const [orgs] = await query<{ n: string }>("SELECT count(*)::text AS n FROM organizations");
  const [items] = await query<{ n: string }>(
    "SELECT sum(items)::text AS n FROM storage_snapshots WHERE day = (SELECT max(day) FROM storage_snapshots)",
  );
  await expect(page.getByTestId("total-orgs")).toHaveText(orgs?.n ?? "?");
  await expect(page.getByTestId("total-items")).toHaveText(
    Number(items?.n).toLocaleString("en-US"),
  );
  const [largest] = await query<{ category: string }>(
    `SELECT category FROM storage_snapshots WHERE day = (SELECT max(day) FROM storage_snapshots)
     GROUP BY category ORDER BY sum(bytes) DESC LIMIT 1`,
  );
  await expect(page.getByTestId("largest-category")).toHaveText(
    CATEGORY_LABELS[largest?.category as RetentionCategory],
  );
  await page.close();
});

test.describe("when a page's data cannot be loaded", () => {
  test("an incident that does not exist says so, and offers no retry that would fail again", async ({
    browser,
  }) => {
    const { page, context } = await pageAs(browser, "viewer");
    await page.goto("/incidents/987654");
    const alert = page.getByRole("alert").filter({ hasText: "The incident could not be loaded" });
    await expect(alert).toContainText("No incident 987654.");
    await expect(alert.getByRole("button", { name: "Try again" })).toHaveCount(0);
    await context.close();
  });

  test("a server error offers a retry, and the retry shows the data", async ({ browser }) => {
    const { page, context } = await pageAs(browser, "viewer");
    await page.goto("/audit");
    await expect(page.getByRole("row").nth(1)).toBeVisible();
    let failing = true;
    await page.route("**/api/trpc/audit.list**", (route) =>
      failing ? route.fulfill({ status: 500, body: "upstream down" }) : route.fallback(),
    );
    await page.getByLabel("Action starts with").fill("hold.");
    const alert = page.getByRole("alert").filter({ hasText: "The audit log could not be loaded" });
    await expect(alert).toBeVisible();
    failing = false;
    await alert.getByRole("button", { name: "Try again" }).click();
    await expect(alert).toHaveCount(0);
    await expect(page.getByRole("row").filter({ hasText: "hold.placed" }).first()).toBeVisible();
    await context.close();
  });

  test("a link whose filters the page cannot use says which it left out, instead of showing everything as if filtered", async ({
    browser,
  }) => {
    const { page, context } = await pageAs(browser, "viewer");
    await page.goto("/audit?org=acme&from=2026-13-01&action=purge.");
    const notice = page.getByTestId("unused-filters");
    await expect(notice).toContainText("org=acme (not an organization id)");
    await expect(notice).toContainText("from=2026-13-01 (not a day, YYYY-MM-DD)");
    await expect(page.getByLabel("Action starts with")).toHaveValue("purge.");
    await page.goto("/deletions?category=NOPE&plan=PRO");
    await expect(page.getByTestId("unused-filters")).toContainText("category=NOPE");
    // Picking the filter again puts a value the page uses in the address.
    await page.getByLabel("Category", { exact: true }).selectOption({ label: "Artifacts" });
    await expect(page).toHaveURL(/category=ARTIFACTS/);
    await expect(page.getByTestId("unused-filters")).toHaveCount(0);
    await context.close();
  });
});
