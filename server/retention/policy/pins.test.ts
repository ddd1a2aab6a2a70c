import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { appError } from "@/test/app-error";
import { builders } from "@/test/builders";
import { createTestEngine, NOW, workToEnd, type TestEngine } from "@/test/engine";
import { erasureWorld } from "@/test/erasure";
import { confirmAcknowledged, purge } from "@/test/purge";
import { rowCounts } from "@/test/row-counts";
import { orgHistory } from "@/server/console/org-history";
import { explainItem } from "../forecast/explain";
import { previewPurge } from "../plan/preview";
import { changePin, placePin, removePin, type PinTarget } from "./pins";

let t: TestEngine;
let b: ReturnType<typeof builders>;
let admin: { id: number; name: string };
beforeAll(async () => {
  t = await createTestEngine({ settings: { maxOpenPreviewsPerUser: 100, maxOpenPreviews: 100 } });
  b = builders(t.engine.db, t.engine.store);
  admin = await b.user("ADMIN");
});
afterAll(() => t.close());

const DAY = 86_400_000;
const dayOf = (d: Date) => d.toISOString().slice(0, 10);
const inDays = (n: number) => dayOf(new Date(NOW.getTime() + n * DAY));

const pin = (target: PinTarget, until: string, reason = "customer dispute #42", now = NOW) =>
  placePin(t.engine.db, {
    actor: admin,
    target,
    until,
    reason,
    env: t.engine.settings.policy,
    now,
  });

/** An engine on the same database whose clock reads `at`. */
async function at(at: Date) {
  return createTestEngine({ database: t.database, now: () => at });
}

describe("a pin", () => {
  it("keeps exactly what it covers, and the first run at or after its date purges it", async () => {
    const org = await b.org("BASIC");
    const env = await b.env(org.id);
    const pinned = await b.artifact(org.id, 100);
    const other = await b.artifact(org.id, 100);
    const analysis = await b.imageAnalysis(org.id, 40, pinned.id);
    const incident = await b.incident(org.id, env.id, "CLOSED", 200);
    const approval = await b.approval(org.id, incident.id, 200);
    const otherIncident = await b.incident(org.id, env.id, "CLOSED", 200);
    const otherApproval = await b.approval(org.id, otherIncident.id, 200);
    const until = inDays(10);
    await pin({ scope: "ARTIFACT", artifactId: pinned.id }, until);
    await pin({ scope: "INCIDENT", incidentId: incident.id }, until);

    const { run } = await purge(t.engine, { orgIds: [org.id], categories: null });
    expect(run.status).toBe("SUCCEEDED");
    const db = t.engine.db;
    expect(await db.artifact.findUnique({ where: { id: pinned.id } })).not.toBeNull();
    expect(await db.imageAnalysis.findUnique({ where: { id: analysis.id } })).not.toBeNull();
    expect(
      await db.incidentPayload.findUnique({ where: { incidentId: incident.id } }),
    ).not.toBeNull();
    expect(await db.approval.findUnique({ where: { id: approval.id } })).not.toBeNull();
    // Nothing else of the org.
    expect(await db.artifact.findUnique({ where: { id: other.id } })).toBeNull();
    expect(
      await db.incidentPayload.findUnique({ where: { incidentId: otherIncident.id } }),
    ).toBeNull();
    expect(await db.approval.findUnique({ where: { id: otherApproval.id } })).toBeNull();

    // The day before its date it still keeps them; on its date it has lapsed.
    const dayBefore = await at(new Date(`${inDays(9)}T23:00:00Z`));
    try {
      await purge(dayBefore.engine, { orgIds: [org.id], categories: null });
      expect(await db.artifact.findUnique({ where: { id: pinned.id } })).not.toBeNull();
    } finally {
      await dayBefore.close();
    }
    const onTheDay = await at(new Date(`${until}T04:00:00Z`));
    try {
      await purge(onTheDay.engine, { orgIds: [org.id], categories: null });
    } finally {
      await onTheDay.close();
    }
    expect(await db.artifact.findUnique({ where: { id: pinned.id } })).toBeNull();
    expect(await db.imageAnalysis.findUnique({ where: { id: analysis.id } })).toBeNull();
    expect(await db.incidentPayload.findUnique({ where: { incidentId: incident.id } })).toBeNull();
    expect(await db.approval.findUnique({ where: { id: approval.id } })).toBeNull();
  });

  it("placed after a preview, is respected by that preview's confirmation, with why", async () => {
    const org = await b.org("FREE");
    const a = await b.artifact(org.id, 40);
    const other = await b.artifact(org.id, 40);
    const planId = await previewPurge(t.engine, {
      scope: { orgIds: [org.id], categories: ["ARTIFACTS"] },
      trigger: "OPERATOR",
      actor: admin,
    });
    const placed = await pin({ scope: "ARTIFACT", artifactId: a.id }, inDays(30));
    const { runId } = await confirmAcknowledged(t.engine, planId, admin);
    const run = await workToEnd(t.engine, runId);
    expect([run.deleted, run.skipped]).toEqual([1n, 1n]);
    expect(await t.engine.db.artifact.findUnique({ where: { id: a.id } })).not.toBeNull();
    expect(await t.engine.db.artifact.findUnique({ where: { id: other.id } })).toBeNull();
    const item = await t.engine.db.planItem.findFirstOrThrow({ where: { planId, itemId: a.id } });
    const setAside = await t.engine.db.planItemSetAside.findUniqueOrThrow({
      where: { planItemId: item.id },
    });
    expect(setAside.reason).toBe(`kept now: pin #${placed.id} until ${inDays(30)}`);
  });

  it("does not stop a GDPR erasure (a legal hold does)", async () => {
    const w = await erasureWorld(t);
    const { org, artifacts } = await w.enterpriseOrg();
    const [first] = artifacts;
    if (!first) throw new Error("the world has artifacts");
    await pin({ scope: "ARTIFACT", artifactId: first.id }, inDays(365));
    const erasure = await w.request(org.id);
    await w.erase(t.engine, erasure.id, 2n);
    expect(await w.artifactsLeft(org.id)).toBe(0);
    expect(await t.engine.store.head(first.objectKey)).toBeNull();
  });

  it("is shown in when and why, moved or removed early by an admin, each audited", async () => {
    const org = await b.org("FREE");
    const a = await b.artifact(org.id, 40);
    const placed = await pin({ scope: "ARTIFACT", artifactId: a.id }, inDays(20), "legal review");
    const explained = await explainItem(t.engine.db, t.engine.settings, "ARTIFACTS", a.id, NOW);
    expect(explained).toMatchObject({
      status: "kept",
      text: `kept because: pinned until ${inDays(20)} by ${admin.name}: legal review`,
    });
    await changePin(t.engine.db, {
      actor: admin,
      pinId: placed.id,
      until: inDays(5),
      env: t.engine.settings.policy,
      now: NOW,
    });
    expect(
      (await explainItem(t.engine.db, t.engine.settings, "ARTIFACTS", a.id, NOW)).text,
    ).toContain(`pinned until ${inDays(5)}`);
    await removePin(t.engine.db, { actor: admin, pinId: placed.id, now: NOW });
    expect((await explainItem(t.engine.db, t.engine.settings, "ARTIFACTS", a.id, NOW)).status).toBe(
      "eligible",
    );
    const audit = await t.engine.db.auditEntry.findMany({
      where: { target: `pin:${placed.id}` },
      orderBy: { id: "asc" },
    });
    expect(audit.map((e) => [e.action, e.actor])).toEqual([
      ["pin.placed", `user:${admin.id}`],
      ["pin.changed", `user:${admin.id}`],
      ["pin.removed", `user:${admin.id}`],
    ]);
    expect(audit[1]?.details).toEqual({ from: inDays(20), to: inDays(5) });
    // No content in the audit log: the reason's length, not its text.
    expect(JSON.stringify(audit.map((e) => e.details))).not.toContain("legal review");
    // The org's history shows each, newest first.
    const history = await orgHistory(t.engine.db, {
      orgId: org.id,
      kinds: ["pins"],
      limit: 10,
      now: NOW,
    });
    expect(history.entries).toMatchObject([
      { kind: "pin", event: "removed", id: placed.id, until: inDays(5), actor: admin.name },
      { kind: "pin", event: "changed", from: inDays(20), until: inDays(5) },
      { kind: "pin", event: "placed", until: inDays(20), reason: "legal review", artifactId: a.id },
    ]);
  });
});

describe("bad pins", () => {
  it("a past, unparsable or beyond-ceiling date, an unknown or purged item, a short reason: a 4xx naming what to fix, nothing changed", async () => {
    const org = await b.org("FREE"); // artifacts 30 days: a ceiling of 120 days after creation
    const env = await b.env(org.id);
    const a = await b.artifact(org.id, 10);
    // Past its plan's ceiling already, as an artifact restored after its purge may be.
    const restored = await b.artifact(org.id, 200);
    const basic = await b.org("BASIC");
    const purged = await b.incident(basic.id, env.id, "CLOSED", 1);
    await t.engine.db.incident.update({
      where: { id: purged.id },
      data: { payloadPurgedAt: NOW, payload: { delete: true } },
    });
    const before = await rowCounts(t.engine.db);
    const artifact = { scope: "ARTIFACT" as const, artifactId: a.id };
    const cases: [() => Promise<unknown>, string, RegExp][] = [
      [() => pin(artifact, inDays(-1)), "BAD_INPUT", /is not in the future/],
      [() => pin(artifact, dayOf(NOW)), "BAD_INPUT", /is not in the future/],
      [
        () => pin(artifact, "2026-02-30"),
        "BAD_INPUT",
        /is not a date: give the pin's date as YYYY-MM-DD/,
      ],
      [() => pin(artifact, "next week"), "BAD_INPUT", /is not a date/],
      [
        () => pin(artifact, inDays(111)),
        "BAD_INPUT",
        new RegExp(
          `past the ceiling of artifact ${a.id}: the FREE plan keeps it at most until ${inDays(110)}`,
        ),
      ],
      [
        () => pin({ scope: "ARTIFACT", artifactId: restored.id }, inDays(5)),
        "BAD_INPUT",
        new RegExp(
          `^A pin cannot keep artifact ${restored.id}: the FREE plan keeps it at most until ${inDays(-80)}, which has passed, and no override may go past it either: only a legal hold keeps it\\.$`,
        ),
      ],
      [
        () => pin({ scope: "ARTIFACT", artifactId: 2_000_000_000 }, inDays(5)),
        "NOT_FOUND",
        /No artifact 2000000000: it may already be purged/,
      ],
      [
        () => pin({ scope: "INCIDENT", incidentId: purged.id }, inDays(5)),
        "CONFLICT",
        /payload was already purged/,
      ],
      [
        () => pin(artifact, inDays(5), "  x "),
        "BAD_INPUT",
        /needs a reason \(at least 3 characters\)/,
      ],
    ];
    for (const [attempt, code, message] of cases) {
      const error = await appError(attempt());
      expect([error.code, error.message]).toEqual([code, expect.stringMatching(message)]);
    }
    expect(await rowCounts(t.engine.db)).toEqual(before);
    // The ceiling itself is allowed; a second pin on the same item is not.
    const ok = await pin(artifact, inDays(110));
    const twice = await appError(pin(artifact, inDays(20)));
    expect([twice.code, twice.message]).toEqual([
      "CONFLICT",
      expect.stringMatching(new RegExp(`already pinned until ${inDays(110)} \\(pin #${ok.id}\\)`)),
    ]);
    const lapsedChange = await appError(
      changePin(t.engine.db, {
        actor: admin,
        pinId: ok.id,
        until: inDays(130),
        env: t.engine.settings.policy,
        now: NOW,
      }),
    );
    expect(lapsedChange.message).toMatch(/past the ceiling/);
    expect((await t.engine.db.pin.findUniqueOrThrow({ where: { id: ok.id } })).pinnedUntil).toEqual(
      new Date(`${inDays(110)}T00:00:00Z`),
    );
  });

  it("on a plan that keeps forever, any date within 7 years of today", async () => {
    const org = await b.org("ENTERPRISE");
    const a = await b.artifact(org.id, 1000);
    const target = { scope: "ARTIFACT" as const, artifactId: a.id };
    const beyond = await appError(pin(target, inDays(2556)));
    expect(beyond.message).toMatch(new RegExp(`at most until ${inDays(2555)}`));
    await pin(target, inDays(2555));
  });
});
