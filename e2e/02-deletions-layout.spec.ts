import { expect, test } from "@playwright/test";
import { pageAs } from "./support";

test("at 1440 px the Upcoming deletions filters hold on one line: the To date never wraps", async ({
  browser,
}) => {
  const { page, context } = await pageAs(browser, "viewer");
  await page.setViewportSize({ width: 1440, height: 900 });
  await page.goto("/deletions");
  const top = async (label: string) =>
    (await page.getByLabel(label, { exact: true }).boundingBox())?.y;
  const from = await top("From");
  const to = await top("To");
  expect(from).toBeDefined();
  expect(to).toBe(from);
  expect(await top("Plan")).toBe(from);
  await context.close();
});
