import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { categoryWorld, type CategoryWorld } from "@/test/category-world";
import type { RowCategory } from "./category";
import { driftChecks } from "./drift-checks";
import { errors } from "./errors";
import { END_OF_TIME, windowsRelation } from "../policy/org-windows";
import { backupKeep } from "../policy/effective-window";
import { idArray, raw, sql, type Sql } from "../sql";

let t: CategoryWorld["t"];
let b: CategoryWorld["b"];
beforeAll(async () => {
  ({ t, b } = await categoryWorld());
});
afterAll(() => t.close());

/**
 * Plans the planner may pick as the tables' statistics change: joins that
 * hash or sort the category's table (which store its rows on the way up),
 * and an inventory grouped by sorting instead of hashing.
 */
const PLANS: Record<string, string[]> = {
  default: [],
  "hash joins, grouped by sorting": ["enable_nestloop", "enable_mergejoin", "enable_hashagg"],
  "merge joins over sorts": [
    "enable_hashjoin",
    "enable_nestloop",
    "enable_indexscan",
    "enable_indexonlyscan",
    "enable_bitmapscan",
    "enable_hashagg",
  ],
};

async function underPlan<T>(plan: string, query: Sql): Promise<T> {
  return t.engine.db.$transaction(async (tx) => {
    for (const setting of PLANS[plan] ?? [])
      await tx.$executeRaw(sql`SET LOCAL ${raw(setting)} = off`);
    return tx.$queryRaw<T>(query);
  });
}

/** One item's bytes as the preview, a purge batch's re-check and the inventory see it, under each plan. */
async function bytesEverywhere(category: RowCategory, orgId: number, itemId: number) {
  const windows = windowsRelation([{ orgId, days: 0, cutoff: END_OF_TIME, asOf: END_OF_TIME }]);
  const keepNewest = backupKeep({});
  const seen: Record<string, number> = {};
  for (const plan of Object.keys(PLANS)) {
    const previewed = await underPlan<{ item_id: number; bytes: bigint }[]>(
      plan,
      sql`WITH windows AS NOT MATERIALIZED ${windows}
          SELECT e.item_id, e.bytes FROM (${category.eligible({ windows: sql`windows`, keepNewest })}) e`,
    );
    seen[`preview, ${plan}`] = Number(previewed.find((e) => e.item_id === itemId)?.bytes);
    const rechecked = await underPlan<{ bytes: bigint }[]>(
      plan,
      sql`WITH windows AS MATERIALIZED ${windows}
          SELECT e.bytes FROM (${category.eligible({ windows: sql`windows`, keepNewest, only: idArray([itemId]) })}) e`,
    );
    seen[`batch re-check, ${plan}`] = Number(rechecked[0]?.bytes);
  }
  return seen;
}

async function inventoryEverywhere(category: RowCategory, orgId: number) {
  const seen: Record<string, number> = {};
  for (const plan of Object.keys(PLANS)) {
    const [row] = await underPlan<{ bytes: bigint }[]>(plan, category.inventory([orgId]));
    seen[`inventory, ${plan}`] = Number(row?.bytes);
  }
  return seen;
}

const everyValue = (seen: Record<string, number>, value: number) =>
  Object.fromEntries(Object.keys(seen).map((path) => [path, value]));

describe("a row's bytes are the row's own, whatever plan the database picks", () => {
  it("a drift check counts the same bytes in the preview, a purge batch and the inventory", async () => {
    const org = await b.org("FREE");
    const env = await b.env(org.id);
    const old = await b.driftCheck(org.id, env.id, 60);
    await b.driftCheck(org.id, env.id, 1);

    const seen = await bytesEverywhere(driftChecks, org.id, old.id);
    // Straight off the table's own scan, the whole-row value is the stored tuple: the row's size.
    const [stored] = await t.engine.db.$queryRaw<{ bytes: bigint }[]>(
      sql`SELECT pg_column_size(t.*)::bigint AS bytes FROM drift_checks t WHERE t.id = ${old.id}`,
    );
    // A small row: where the plan stores it, its record gets a shorter header.
    expect(Number(stored?.bytes)).toBeLessThan(127);
    expect(seen).toEqual(everyValue(seen, Number(stored?.bytes)));

    const inventory = await inventoryEverywhere(driftChecks, org.id);
    expect(inventory).toEqual(everyValue(inventory, 2 * Number(stored?.bytes)));
  });

  it("so does a row of any other category measured by its row", async () => {
    const org = await b.org("FREE");
    const resolved = await b.error(org.id, 400);

    const seen = await bytesEverywhere(errors, org.id, resolved.id);
    expect(seen).toEqual(everyValue(seen, Object.values(seen)[0] ?? 0));
    const inventory = await inventoryEverywhere(errors, org.id);
    expect(inventory).toEqual(everyValue(inventory, Object.values(seen)[0] ?? 0));
  });
});
