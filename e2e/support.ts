import { expect, type Browser, type Page } from "@playwright/test";
import { BASE_URL } from "../playwright.config";
import { stackEnv } from "./stack";

export type DemoRole = "admin" | "admin2" | "operator" | "viewer";

/** The e2e server's own account for `role` (scripts/e2e-server.ts made it; not a demo login). */
export const login = (role: DemoRole) => {
  const user = stackEnv().accounts[role];
  if (!user) throw new Error(`No e2e account ${role}`);
  return user;
};

export const storageStateOf = (role: DemoRole) => `e2e/.auth/${role}.json`;

export async function signIn(page: Page, role: DemoRole) {
  const user = login(role);
  await page.goto("/login");
  await page.getByLabel("Email").fill(user.email);
  await page.getByLabel("Password").fill(user.password);
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page.getByRole("heading", { name: "Overview" })).toBeVisible();
}

/** Full-page screenshots in light and dark mode, for a person to look at. */
export async function screenshotBothThemes(page: Page, name: string) {
  await expect(page.getByTestId("chart-loading")).toHaveCount(0);
  // A theme switch would otherwise be caught halfway through the colours' transition.
  await page.addStyleTag({ content: "*, *::before, *::after { transition: none !important; }" });
  for (const theme of ["light", "dark"] as const) {
    await page.emulateMedia({ colorScheme: theme });
    await page.evaluate((t) => {
      localStorage.setItem("theme", t);
      document.documentElement.classList.toggle("dark", t === "dark");
      // next-themes also sets the page's color-scheme, which native controls follow.
      document.documentElement.style.colorScheme = t;
    }, theme);
    await page.screenshot({ path: `e2e/screenshots/${name}-${theme}.png`, fullPage: true });
  }
}

/**
 * A POST with the page's session cookie, as the console's pages send it:
 * JSON, from the console's origin (the API refuses a cookie-signed POST
 * from any other, or with none).
 */
export const postAsConsole = (page: Page, url: string, data: unknown) =>
  page.request.post(url, { data, headers: { origin: BASE_URL } });

/** A dry run through the console's API, as the Dry run page asks for it; returns its plan's id. */
export async function previewOnConsole(
  page: Page,
  scope: { orgIds: number[]; categories: string[] | null },
) {
  const preview = await postAsConsole(page, "/api/trpc/purge.preview", { json: scope });
  expect(preview.status()).toBe(200);
  return ((await preview.json()) as { result: { data: { json: { planId: string } } } }).result.data
    .json.planId;
}

/** A page signed in as `role` (from the setup project's saved session). */
export async function pageAs(browser: Browser, role: DemoRole) {
  const context = await browser.newContext({
    storageState: storageStateOf(role),
    acceptDownloads: true,
  });
  return { context, page: await context.newPage() };
}

/** A dry run of one org's `category` from the Dry run page; returns the plan's id from its page's address. */
export async function dryRunOnScreen(page: Page, orgName: string, category: string) {
  await page.goto("/purge");
  await page.getByLabel("Search organizations").fill(orgName);
  await page.getByRole("checkbox", { name: new RegExp(orgName.replace(/[&]/g, "\\$&")) }).check();
  await page.getByRole("checkbox", { name: category }).check();
  await page.getByRole("button", { name: "Dry run" }).click();
  await expect(page).toHaveURL(/\/purge\/[0-9a-f-]{36}$/);
  return page.url().split("/").at(-1) ?? "";
}

/** Confirms the plan on screen, typing the guardrail phrase if the plan asks for one. */
export async function confirmPlanOnScreen(page: Page) {
  const phraseInput = page.getByLabel(/^Type ".*" to confirm$/);
  if (await phraseInput.isVisible()) {
    const label = (await page.locator('label[for="confirm-phrase"]').innerText()).trim();
    await phraseInput.fill(label.replace(/^Type "/, "").replace(/" to confirm$/, ""));
  }
  await page.getByRole("button", { name: /^Confirm and (delete|archive)/ }).click();
  await expect(page.getByTestId("progress-percent")).toHaveText("100%", { timeout: 60_000 });
}
