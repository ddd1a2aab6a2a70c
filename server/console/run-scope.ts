import type { Db } from "../db";
import type { RetentionCategory } from "../generated/prisma/enums";
import { heldOutByPlan } from "./held-out";

/** Orgs named in a run's scope up to this many; more are only counted. */
const NAMED_ORGS = 3;

/** A plan's scope as stored (older plans lack the counts resolved at preview). */
type StoredScope = {
  orgIds?: number[] | null;
  categories?: RetentionCategory[] | null;
  only?: { category: RetentionCategory } | null;
  orgCount?: number;
  categoryCount?: number;
};

/**
 * What a run covered: every org or some (named when few), and which
 * categories. Counts are those resolved when the plan was previewed; null
 * where an older plan did not record them ("all orgs").
 */
export type RunScope = {
  allOrgs: boolean;
  orgCount: number | null;
  orgNames: string[];
  allCategories: boolean;
  categoryCount: number | null;
  /** Chosen items of one category ("purge this incident's payload now"). */
  chosenItems: boolean;
  /** Orgs of the scope an org-wide legal hold left out of the plan (held-out.ts). */
  heldOut: number;
};

/** The scopes of plans, in the order given, with the few orgs they name looked up at once. */
export async function runScope(
  db: Db,
  plans: { id: string; scope: unknown }[],
): Promise<RunScope[]> {
  const scopes = plans.map((p) => (p.scope ?? {}) as StoredScope);
  const held = await heldOutByPlan(
    db,
    plans.map((p) => p.id),
  );
  const named = new Set(
    scopes.flatMap((s) => (s.orgIds && s.orgIds.length <= NAMED_ORGS ? s.orgIds : [])),
  );
  const orgs = named.size
    ? await db.organization.findMany({
        where: { id: { in: [...named] } },
        select: { id: true, name: true },
      })
    : [];
  const names = new Map(orgs.map((o) => [o.id, o.name]));
  return scopes.map((s, i) => {
    const orgIds = s.orgIds ?? null;
    const categories = s.only ? [s.only.category] : (s.categories ?? null);
    return {
      allOrgs: orgIds === null,
      orgCount: orgIds?.length ?? s.orgCount ?? null,
      orgNames:
        orgIds && orgIds.length <= NAMED_ORGS
          ? orgIds.map((id) => names.get(id) ?? `org ${id}`)
          : [],
      allCategories: categories === null,
      categoryCount: categories?.length ?? s.categoryCount ?? null,
      chosenItems: Boolean(s.only),
      heldOut: held.get(plans[i]?.id ?? "")?.length ?? 0,
    };
  });
}
