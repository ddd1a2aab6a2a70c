import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { appError } from "@/test/app-error";
import { builders } from "@/test/builders";
import { createTestEngine, NOW, workToEnd, type TestEngine } from "@/test/engine";
import { confirmAcknowledged } from "@/test/purge";
import { planView } from "../../console/plan-view";
import { previewPurge } from "./preview";

let t: TestEngine;
let b: ReturnType<typeof builders>;
let admin: { id: number };
beforeAll(async () => {
  t = await createTestEngine();
  b = builders(t.engine.db, t.engine.store);
  admin = await b.user("ADMIN");
});
afterAll(() => t.close());

describe("what a dry run covers", () => {
  it("narrowed to chosen items, plans and purges only those: one closed incident's payload, not its org's others", async () => {
    const org = await b.org("BASIC");
    const env = await b.env(org.id);
    const chosen = await b.incident(org.id, env.id, "CLOSED", 200);
    const other = await b.incident(org.id, env.id, "CLOSED", 200);
    const planId = await previewPurge(t.engine, {
      scope: {
        orgIds: [org.id],
        categories: null,
        only: { category: "INCIDENT_PAYLOADS", ids: [chosen.id] },
      },
      trigger: "OPERATOR",
      actor: admin,
    });
    const view = await planView(t.engine.db, planId, { offset: 0, limit: 10 }, NOW);
    expect(view.itemCount).toBe(1n);
    expect(view.entries.map((e) => e.category)).toEqual(["INCIDENT_PAYLOADS"]);
    await workToEnd(t.engine, (await confirmAcknowledged(t.engine, planId, admin)).runId);
    const payloads = await t.engine.db.incidentPayload.findMany({
      where: { incidentId: { in: [chosen.id, other.id] } },
    });
    expect(payloads.map((p) => p.incidentId)).toEqual([other.id]);
    const purged = await t.engine.db.incident.findUniqueOrThrow({ where: { id: chosen.id } });
    expect(purged.payloadPurgedAt).not.toBeNull();
  });

  it("refuses narrowing to objects in the bucket, which have no row ids", async () => {
    const org = await b.org("FREE");
    const error = await appError(
      previewPurge(t.engine, {
        scope: {
          orgIds: [org.id],
          categories: null,
          only: { category: "ORPHAN_OBJECTS", ids: [1] },
        },
        trigger: "OPERATOR",
        actor: admin,
      }),
    );
    expect(error.message).toMatch(/Only row categories can be narrowed/);
  });

  it("refuses a future as-of date and unknown orgs by name, creating no plan", async () => {
    const before = await t.engine.db.purgePlan.count();
    const future = await appError(
      previewPurge(t.engine, {
        scope: { orgIds: null, categories: null, asOf: new Date(NOW.getTime() + 1000) },
        trigger: "OPERATOR",
        actor: admin,
      }),
    );
    expect(future.message).toMatch(/asOf is in the future/);
    const unknown = await appError(
      previewPurge(t.engine, {
        scope: { orgIds: [999_999], categories: null },
        trigger: "OPERATOR",
        actor: admin,
      }),
    );
    expect(unknown.message).toMatch(/Unknown organization: 999999/);
    expect(await t.engine.db.purgePlan.count()).toBe(before);
  });
});
