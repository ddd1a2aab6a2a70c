import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { isoDay } from "@/server/calendar-day";
import type { RetentionCategory } from "@/server/generated/prisma/enums";
import { builders } from "@/test/builders";
import { createTestEngine, type TestEngine } from "@/test/engine";
import { purge } from "@/test/purge";
import { restoreItems } from "../restore/restore";
import { explainItem } from "./explain";

const DAY = 86_400_000;
// The wall clock, not the fixed NOW of most tests: the database stamps the day an item is kept.
const clock = new Date();
let t: TestEngine;
let b: ReturnType<typeof builders>;
beforeAll(async () => {
  t = await createTestEngine({ restoreWindows: "product", now: () => clock });
  b = builders(t.engine.db, t.engine.store);
});
afterAll(() => t.close());

const explain = (category: RetentionCategory, itemId: number, now = clock) =>
  explainItem(t.engine.db, t.engine.settings, category, itemId, now);

describe("when and why, for an item a run purged", () => {
  it("an item in its restore window says which run purged it, when, and until when an admin can restore it", async () => {
    const org = await b.org("BASIC");
    const artifact = await b.artifact(org.id, 100);
    const { run } = await purge(t.engine, { orgIds: [org.id], categories: ["ARTIFACTS"] });
    const purged = `purged by run ${run.id.slice(0, 8)} on ${isoDay(clock)}`;

    expect(await explain("ARTIFACTS", artifact.id)).toEqual({
      status: "purged",
      eligibleAt: null,
      text: `${purged}; in its restore window until ${isoDay(clock.getTime() + 7 * DAY)}: an admin can restore it from the run's page until then, final deletion after`,
    });
    // Its window passed, its final deletion not yet done.
    expect(
      (await explain("ARTIFACTS", artifact.id, new Date(clock.getTime() + 8 * DAY))).text,
    ).toBe(
      `${purged}; its restore window ended on ${isoDay(clock.getTime() + 7 * DAY)}: no longer restorable, its final deletion is pending`,
    );

    await restoreItems(t.engine, { runId: run.id }, { id: (await b.user("ADMIN")).id });
    expect(await explain("ARTIFACTS", artifact.id)).toMatchObject({ status: "eligible" });
  });

  it("an incident whose payload waits in its restore window says so, not that something keeps it", async () => {
    const org = await b.org("BASIC");
    const env = await b.env(org.id);
    const incident = await b.incident(org.id, env.id, "CLOSED", 400);
    const { run } = await purge(t.engine, { orgIds: [org.id], categories: ["INCIDENT_PAYLOADS"] });
    expect(await explain("INCIDENT_PAYLOADS", incident.id)).toEqual({
      status: "purged",
      eligibleAt: null,
      text: `purged by run ${run.id.slice(0, 8)} on ${isoDay(clock)}; in its restore window until ${isoDay(clock.getTime() + 7 * DAY)}: an admin can restore it from the run's page until then, final deletion after`,
    });
  });

  it("an item neither in its table nor in a restore window may already be purged", async () => {
    const org = await b.org("BASIC");
    // Task-queue entries have no restore window: purged at once.
    const task = await b.task(org.id, "COMPLETED", 30);
    await purge(t.engine, { orgIds: [org.id], categories: ["TASK_QUEUE"] });

    await expect(explain("TASK_QUEUE", task.id)).rejects.toMatchObject({
      code: "NOT_FOUND",
      message: expect.stringMatching(/it may already be purged/),
    });
  });
});
