import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { forecastWorld, type ForecastWorld } from "@/test/forecast-world";
import { NOW } from "@/test/engine";
import { purge } from "@/test/purge";
import type { RetentionCategory } from "../../generated/prisma/enums";
import { AppError } from "../../errors";
import { placeHold, releaseHold, type HoldTarget } from "../policy/holds";
import { clearOverride, setOverride } from "../policy/overrides";
import { saveNoticeSettings } from "../notices/settings";
import { sql } from "../sql";
import { refreshDirtyPairs } from "./incremental";
import { refreshForecast } from "./snapshot";

let t: ForecastWorld["t"];
let b: ForecastWorld["b"];
let admin: ForecastWorld["admin"];
const orgs: { id: number; envId: number }[] = [];
beforeAll(async () => {
  ({ t, b, admin } = await forecastWorld());
  // AGENCY promises a notice period: its notice settings move its items' days.
  for (const plan of ["FREE", "BASIC", "PRO", "AGENCY"] as const) {
    const org = await b.org(plan);
    orgs.push({ id: org.id, envId: (await b.env(org.id)).id });
  }
});
afterAll(() => t.close());

const CATEGORIES: RetentionCategory[] = [
  "ARTIFACTS",
  "IMAGE_ANALYSES",
  "INCIDENT_PAYLOADS",
  "APPROVALS",
  "DRIFT_CHECKS",
];
const AGES = [3, 20, 29, 31, 45, 80, 100, 200, 370];

/** Items of every category that holds on incidents and artifacts reach, at ages around the windows. */
async function seed(ages: number[]) {
  const artifactIds: number[] = [];
  const incidentIds: number[] = [];
  for (const [i, org] of orgs.entries()) {
    for (const [j, age] of ages.entries()) {
      if ((i + j) % 2 === 0) {
        const artifact = await b.artifact(org.id, age, { withObject: false });
        artifactIds.push(artifact.id);
        await b.imageAnalysis(org.id, age, artifact.id);
      } else {
        const incident = await b.incident(org.id, org.envId, "CLOSED", age);
        incidentIds.push(incident.id);
        await b.approval(org.id, incident.id, age + 1);
        await b.driftCheck(org.id, org.envId, age);
      }
    }
  }
  return { artifactIds, incidentIds };
}

const event = fc.oneof(
  fc.record({
    kind: fc.constant("purge" as const),
    org: fc.nat(3),
    categories: fc.subarray(CATEGORIES, { minLength: 1 }),
  }),
  fc.record({
    kind: fc.constant("override" as const),
    org: fc.nat(3),
    category: fc.constantFrom(...CATEGORIES),
    days: fc.option(fc.constantFrom(7, 14, 30, 60, 90, 180, 365), { nil: null }),
  }),
  fc.record({
    kind: fc.constant("hold" as const),
    on: fc.constantFrom("org" as const, "incident" as const, "artifact" as const),
    pick: fc.nat(40),
  }),
  // On the AGENCY org: only a plan that promises a notice period reads the settings.
  fc.record({
    kind: fc.constant("notices" as const),
    org: fc.constant(3),
    // null: the org stops hearing (no recipient), so no notice period holds it.
    leadDays: fc.option(fc.constantFrom(1, 14, 30), { nil: null }),
  }),
  fc.constant({ kind: "refresh" as const }),
);
type Event = typeof event extends fc.Arbitrary<infer E> ? E : never;

const refused = (error: unknown) => {
  if (!(error instanceof AppError)) throw error;
};

/** Places a hold on the target, or releases the one it has. */
async function toggleHold(target: HoldTarget) {
  const active = await t.engine.db.legalHold.findFirst({
    where: {
      scope: target.scope,
      releasedAt: null,
      ...(target.scope === "ORG" ? { orgId: target.orgId } : {}),
      ...(target.scope === "INCIDENT" ? { incidentId: target.incidentId } : {}),
      ...(target.scope === "ARTIFACT" ? { artifactId: target.artifactId } : {}),
    },
  });
  if (active)
    await releaseHold(t.engine.db, {
      actor: admin,
      holdId: active.id,
      reason: "the matter is closed",
    });
  // A purged artifact cannot be held: refused, nothing changes.
  else await placeHold(t.engine.db, { actor: admin, target, reason: "litigation" }).catch(refused);
}

async function apply(e: Event, world: { artifactIds: number[]; incidentIds: number[] }) {
  const pick = <T>(list: T[], i: number) => list[i % list.length];
  if (e.kind === "refresh") {
    await refreshDirtyPairs(t.engine.db, t.engine.settings, NOW);
  } else if (e.kind === "purge") {
    await purge(t.engine, { orgIds: [orgs[e.org]?.id ?? 0], categories: e.categories });
  } else if (e.kind === "notices") {
    await saveNoticeSettings(t.engine, admin, {
      orgId: orgs[e.org]?.id ?? 0,
      webhookUrl: null,
      recipients: e.leadDays === null ? [] : ["ops@example.com"],
      leadDays: e.leadDays ?? 7,
    });
  } else if (e.kind === "override") {
    const input = { actor: admin, orgId: orgs[e.org]?.id ?? 0, category: e.category };
    // Days outside the plan's bounds, or no override to clear, are refused: nothing changes.
    await (
      e.days === null
        ? clearOverride(t.engine.db, input)
        : setOverride(t.engine.db, t.engine.settings, {
            ...input,
            days: e.days,
            reason: "contract",
          })
    ).catch(refused);
  } else if (e.on === "org") {
    await toggleHold({ scope: "ORG", orgId: pick(orgs, e.pick)?.id ?? 0 });
  } else if (e.on === "incident") {
    await toggleHold({ scope: "INCIDENT", incidentId: pick(world.incidentIds, e.pick) ?? 0 });
  } else {
    await toggleHold({ scope: "ARTIFACT", artifactId: pick(world.artifactIds, e.pick) ?? 0 });
  }
}

type Row = Record<string, unknown>;

/** Everything a snapshot answers the console with, without its id. */
async function rowsOf(snapshotId: number) {
  const db = t.engine.db;
  return {
    days: await db.$queryRaw<Row[]>(sql`
      SELECT org_id, plan::text, category::text, day::text, items, bytes::text FROM forecast_days
      WHERE snapshot_id = ${snapshotId} ORDER BY org_id, category, day`),
    calendar: await db.$queryRaw<Row[]>(sql`
      SELECT plan::text, category::text, day::text, items, bytes::text FROM forecast_calendar_days
      WHERE snapshot_id = ${snapshotId} ORDER BY plan, category, day`),
    totals: await db.$queryRaw<Row[]>(sql`
      SELECT horizon_days, org_id, plan::text, category::text, items, bytes::text,
             first_day::text, last_day::text
      FROM forecast_totals WHERE snapshot_id = ${snapshotId}
      ORDER BY horizon_days, org_id, category`),
  };
}

const full = () =>
  refreshForecast(t.engine.db, t.engine.settings, NOW, { newerThan: Number.MAX_SAFE_INTEGER });

describe("the incremental forecast", () => {
  it("equals a full recomputation after any runs, overrides, legal holds and notice settings", async () => {
    let compared = 0;
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.constantFrom(...AGES), { minLength: 2, maxLength: 5 }),
        fc.array(event, { minLength: 1, maxLength: 6 }),
        async (ages, events) => {
          const world = await seed(ages);
          await full();
          for (const e of events) await apply(e, world);
          const amended = await refreshDirtyPairs(t.engine.db, t.engine.settings, NOW);
          const incremental = await rowsOf(amended ?? 0);
          const recomputed = await rowsOf((await full()) ?? 0);
          expect(incremental).toEqual(recomputed);
          if (recomputed.days.length > 0) compared += 1;
        },
      ),
      { numRuns: 30 },
    );
    // Legal holds on every org can empty a forecast; many runs (about 40 %) compare one
    // that is not: fewer than 6 of 30 would be 1 in 300 by chance.
    expect(compared).toBeGreaterThan(5);
  });
});
