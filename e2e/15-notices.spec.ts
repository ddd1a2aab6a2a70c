import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { expect, test } from "@playwright/test";
import { Webhook } from "standardwebhooks";
import { query, stackEnv } from "./stack";
import { pageAs } from "./support";

/** A receiver on this machine that keeps each notice it can verify with the secret it is given. */
async function startReceiver() {
  const received = { secret: "", verified: [] as { id: string; items: number }[], refused: 0 };
  const server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on("data", (c: Buffer) => chunks.push(c));
    request.on("end", () => {
      try {
        const body = new Webhook(received.secret).verify(
          Buffer.concat(chunks).toString("utf8"),
          request.headers as Record<string, string>,
        ) as { id: string; categories: { items: number }[] };
        received.verified.push({
          id: body.id,
          items: body.categories.reduce((n, c) => n + c.items, 0),
        });
        response.writeHead(204).end();
      } catch {
        received.refused++;
        response.writeHead(401).end();
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/lethe`;
  return { received, url, close: () => new Promise((r) => server.close(r)) };
}

test("notices: an admin sets an org's webhook, the daily run tells the org once, and the delivery log shows it sent", async ({
  browser,
  request,
}) => {
  test.setTimeout(600_000);
  const receiver = await startReceiver();
  const [org] = await query<{ id: number; name: string }>(
    `SELECT id, name FROM organizations WHERE plan = 'FREE' ORDER BY id LIMIT 1`,
  );
  if (!org) throw new Error("the demo has no FREE org");
  // Two artifacts that fall due within the lead time (FREE keeps artifacts 30 days).
  await query(
    `INSERT INTO artifacts (org_id, kind, title, object_key, bytes, created_at)
     SELECT $1::int, 'BLOG_POST', 'notice e2e', 'orgs/' || $1::int || '/notice-e2e-' || g, 1000, now() - interval '25 days'
     FROM generate_series(1, 2) g`,
    [org.id],
  );

  const { page } = await pageAs(browser, "admin");
  await page.goto(`/orgs/${org.id}/notices`);
  await expect(page.getByRole("heading", { level: 1 })).toHaveText(`Notices · ${org.name}`);
  await page.getByLabel("Webhook endpoint").fill("http:/not a url");
  await page.getByRole("button", { name: "Save settings" }).click();
  // The form names the field as it shows it.
  await expect(page.getByText(/Webhook endpoint: must be a URL/)).toBeVisible();
  // The browser refuses a lead time out of range itself: the last refusal goes with it.
  await page.getByLabel("Lead time (days)").fill("99");
  await page.getByRole("button", { name: "Save settings" }).click();
  await expect(page.getByText(/Webhook endpoint: must be a URL/)).toHaveCount(0);
  expect(
    await page
      .getByLabel("Lead time (days)")
      .evaluate((input: HTMLInputElement) => input.validity.valid),
  ).toBe(false);

  await page.getByLabel("Webhook endpoint").fill(receiver.url);
  await page.getByLabel("Lead time (days)").fill("7");
  await page.getByRole("button", { name: "Save settings" }).click();
  const secret = page.getByTestId("secret-value");
  await expect(secret).toContainText("whsec_");
  receiver.received.secret = (await secret.textContent()) ?? "";
  await page.keyboard.press("Escape");
  await expect(page.getByTestId("notice-secret")).toContainText("Signing secret set, created");
  await expect(page.getByText("No notice yet")).toBeVisible();

  for (let delivery = 0; delivery < 2; delivery++) {
    const response = await request.get("/api/cron/retention", {
      headers: { authorization: `Bearer ${stackEnv().CRON_SECRET}` },
      timeout: 300_000,
    });
    expect(response.status()).toBe(200);
  }
  // Two deliveries of the day: the org was told once, its new items among what it was told.
  expect(receiver.received.refused).toBe(0);
  expect(receiver.received.verified).toHaveLength(1);
  expect(receiver.received.verified[0]?.items).toBeGreaterThanOrEqual(2);

  await page.reload();
  const row = page.getByTestId("notice-row");
  await expect(row).toHaveCount(1);
  await expect(row).toContainText("Webhook: sent");
  await expect(row).toContainText("Artifacts");
  await receiver.close();
});
