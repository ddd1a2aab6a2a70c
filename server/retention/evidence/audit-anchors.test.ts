import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { apiRoute, callRoute } from "@/test/api-routes";
import { bearer } from "@/test/api-token";
import { builders } from "@/test/builders";
import { runAs } from "@/test/database";
import { createTestEngine, workToEnd, type TestEngine } from "@/test/engine";
import { useRouteEnvironment } from "@/test/route-env";
import { appendAudit } from "./audit-log";
import { verifyAuditChain } from "./audit-chain";
import { renderMetrics } from "./metrics";
import { runDailyPurge } from "../run/daily";
import { purge } from "@/test/purge";

let t: TestEngine;
let anchored: { entries: bigint; headHash: string; runId: string };
let viewer: Record<string, string>;
let orgId: number;
/** How many entries the log held when the operator's run (after the daily one) ended. */
let operatorRunEntries = 0;
beforeAll(async () => {
  t = await createTestEngine();
  await useRouteEnvironment(t.database);
  const b = builders(t.engine.db, t.engine.store);
  viewer = await bearer(t.engine.db, (await b.user("VIEWER")).id);
  const org = await b.org("FREE");
  orgId = org.id;
  for (let i = 0; i < 3; i++) await b.artifact(org.id, 40 + i, { bytes: 10 });
  const { progress } = await runDailyPurge(t.engine, Date.now() + 5_000);
  await workToEnd(t.engine, progress?.id ?? "");
  const anchor = await t.engine.db.auditAnchor.findUniqueOrThrow({
    where: { runId: progress?.id },
  });
  anchored = { entries: anchor.entries, headHash: anchor.headHash, runId: anchor.runId };
  // Entries after the anchor: the chain goes on, and the anchor stays where it was.
  for (let i = 0; i < 3; i++)
    await t.engine.db.$transaction((tx) =>
      appendAudit(tx, { actor: "system", action: "hold.placed", details: { n: i } }),
    );
});
afterAll(() => t.close());

/** What someone able to drop the append-only triggers (the owner) can do. */
async function asOwnerBehindTheTriggers(statement: string) {
  await runAs(
    t.database.ownerUrl,
    `ALTER TABLE audit_log DISABLE TRIGGER USER; ${statement}; ALTER TABLE audit_log ENABLE TRIGGER USER`,
  );
}

/** A run's JSON manifest as a viewer downloads it. */
async function manifestOf(runId: string) {
  const route = await apiRoute("GET /api/runs/[runId]/manifest");
  const response = await callRoute(route, { runId }, { headers: viewer, query: "?format=json" });
  return (await response.json()) as { auditAnchor: unknown };
}

describe("the audit chain's anchor at each run's end", () => {
  it("records how many entries the log held and its head when the daily run ended, and publishes both", async () => {
    const entries = await t.engine.db.auditEntry.findMany({ orderBy: { id: "asc" } });
    const head = entries[Number(anchored.entries) - 1];
    expect(head?.action).toBe("purge.finished");
    expect(anchored.headHash).toBe(head?.hash);
    const { body } = await renderMetrics(t.engine.db);
    expect(body).toContain(`retention_audit_anchor_entries ${anchored.entries}`);
    expect(body).toContain(
      `retention_audit_anchor_info{head_hash="${anchored.headHash}",run_id="${anchored.runId}"} 1`,
    );
    expect(await verifyAuditChain(t.engine.db)).toEqual({
      intact: true,
      entries: entries.length,
      anchors: 1,
    });
  });

  it("is written into the daily run's manifest, for an auditor to keep", async () => {
    const manifest = await manifestOf(anchored.runId);
    expect(manifest.auditAnchor).toEqual({
      entries: String(anchored.entries),
      headHash: anchored.headHash,
      at: expect.any(String),
    });
  });

  it("is recorded by an operator's run too, whose manifest carries where the log stood at its end", async () => {
    await t.engine.db.auditAnchor.findMany().then((a) => expect(a).toHaveLength(1));
    const b = builders(t.engine.db, t.engine.store);
    await b.artifact(orgId, 45, { bytes: 10 });
    const { run } = await purge(t.engine, { orgIds: [orgId], categories: ["ARTIFACTS"] });
    const last = await t.engine.db.auditEntry.findFirstOrThrow({ orderBy: { id: "desc" } });
    const total = await t.engine.db.auditEntry.count();
    operatorRunEntries = total;
    expect(last.action).toBe("purge.finished");
    expect((await manifestOf(run.id)).auditAnchor).toEqual({
      entries: String(total),
      headHash: last.hash,
      at: expect.any(String),
    });
    expect(await verifyAuditChain(t.engine.db)).toEqual({
      intact: true,
      entries: total,
      anchors: 2,
    });
  });

  it("cannot be changed by the app's role", async () => {
    await expect(
      t.engine.db.$executeRawUnsafe(`UPDATE audit_anchors SET entries = 1`),
    ).rejects.toThrow(/permission denied/);
    await expect(t.engine.db.$executeRawUnsafe(`DELETE FROM audit_anchors`)).rejects.toThrow(
      /permission denied/,
    );
  });

  it("catches a log cut back to before the anchors, which the hashes alone cannot show", async () => {
    const cut = anchored.entries - 2n;
    await asOwnerBehindTheTriggers(
      `DELETE FROM audit_log WHERE id IN (SELECT id FROM audit_log ORDER BY id OFFSET ${cut})`,
    );
    // The rest of the chain is still a chain: only the anchor says entries are missing.
    expect(await verifyAuditChain(t.engine.db, { anchors: [] })).toMatchObject({ intact: true });
    expect(await verifyAuditChain(t.engine.db)).toEqual({
      intact: false,
      entries: Number(cut),
      brokenAt: null,
      reason: expect.stringMatching(
        new RegExp(
          `ends after ${cut} entries, but the run that ended .* anchored ${operatorRunEntries}`,
        ),
      ),
    });
  });

  it("catches a tail rewritten past the anchor, against an anchor kept outside the database", async () => {
    // The cut log grows again with well-chained entries: longer than the anchor, but not the same.
    for (let i = 0; i < 4; i++)
      await t.engine.db.$transaction((tx) =>
        appendAudit(tx, { actor: "system", action: "hold.released", details: { n: i } }),
      );
    // Even with the database's anchors gone too, the one a scrape kept still holds.
    await runAs(
      t.database.ownerUrl,
      `ALTER TABLE audit_anchors DISABLE TRIGGER USER; DELETE FROM audit_anchors`,
    );
    expect(await verifyAuditChain(t.engine.db)).toMatchObject({ intact: true, anchors: 0 });
    const kept = { ...anchored, label: "the anchor scraped from /api/metrics" };
    expect(await verifyAuditChain(t.engine.db, { anchors: [kept] })).toMatchObject({
      intact: false,
      reason: expect.stringMatching(
        /anchor scraped from \/api\/metrics anchored a different entry there/,
      ),
    });
  });
});
