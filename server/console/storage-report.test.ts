import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { builders } from "@/test/builders";
import { createTestEngine, type TestEngine } from "@/test/engine";
import { purge } from "@/test/purge";
import { writeSnapshot } from "../retention/evidence/storage-snapshots";
import { restoreItems } from "../retention/restore/restore";
import { storageProjection } from "./storage-report";

const DAY_MS = 86_400_000;

// Real time: the runs and restores are stamped by the database's clock, the snapshots by day.
let t: TestEngine;
beforeAll(async () => {
  t = await createTestEngine({ restoreWindows: "product", now: () => new Date() });
});
afterAll(() => t.close());

const snapshot = (daysAgo: number) =>
  t.engine.db.$transaction((tx) =>
    writeSnapshot(tx, new Date(t.engine.now().getTime() - daysAgo * DAY_MS), null),
  );

const projection = () =>
  storageProjection(t.engine.db, t.engine.settings, t.engine.now(), (work) => void work());

describe("the storage projection", () => {
  it("counts the new data a day, not the stored bytes' change net of what purges took out or restores put back", async () => {
    const b = builders(t.engine.db, t.engine.store);
    const org = await b.org("BASIC");
    await b.artifact(org.id, 400, { bytes: 300 });
    await b.artifact(org.id, 400, { bytes: 100 });
    await b.error(org.id, 400);
    await snapshot(10);

    // The error deleted at once, 400 bytes purged into their restore window, 2,000 new:
    // 200 a day over the 10 days.
    const { run } = await purge(t.engine, {
      orgIds: [org.id],
      categories: ["ARTIFACTS", "ERRORS"],
    });
    expect(Number(run.deleted)).toBe(3);
    expect(run.bytesFreed).toBeGreaterThan(0n);
    await b.artifact(org.id, 0, { bytes: 1500 });
    await b.artifact(org.id, 0, { bytes: 500 });
    await snapshot(0);
    const after = await projection();
    expect(after.growthPerDay).toBe(200);
    expect(after.current).toBe(2000);
    // Tomorrow holds today's bytes plus a day's new data, less what falls due then.
    const tomorrow = after.points[1];
    expect(tomorrow?.bytes).toBe(2000 + 200 - (tomorrow?.freed ?? 0));

    // Restored, the 400 bytes are stored again (the restore takes today's snapshot of
    // what it put back, as a run does of what it purged): new data a day is the same.
    const admin = await b.user("ADMIN");
    const restored = await restoreItems(t.engine, { runId: run.id }, { id: admin.id });
    expect(restored.bytes).toBe(400n);
    const back = await projection();
    expect(back.current).toBe(2400);
    expect(back.growthPerDay).toBe(200);
  });
});
