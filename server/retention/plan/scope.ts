import type { Db } from "../../db";
import { AppError } from "../../errors";
import type { RetentionCategory } from "../../generated/prisma/enums";
import { CATEGORIES } from "../categories";
import type { Category } from "../categories/category";
import { categoryOf } from "../categories";
import type { ScopedOrg } from "../policy/org-windows";

/** What a purge covers. null = every org / every category. */
export type PurgeScope = {
  orgIds: number[] | null;
  categories: RetentionCategory[] | null;
  /** The clock the plan is computed at; never later than now. */
  asOf?: Date | null;
  /** Narrows one category to these items ("purge this incident's payload now"); policy still decides. */
  only?: { category: RetentionCategory; ids: number[] } | null;
};

/**
 * The one org a plan's stored scope covers, if it covers exactly one: the
 * audit entries of its preview, confirmation and end name it. A wider run's
 * entries name it by reference (`run:<id>`), whose tasks list its orgs.
 */
export function onlyOrgOf(stored: unknown): number | null {
  const orgIds = (stored as { orgIds?: number[] | null } | null)?.orgIds;
  return orgIds?.length === 1 ? (orgIds[0] ?? null) : null;
}

/** The orgs of a scope; an unknown id is a bad input that names the id. */
export async function resolveOrgs(db: Db, orgIds: number[] | null): Promise<ScopedOrg[]> {
  const orgs = await db.organization.findMany({
    where: orgIds ? { id: { in: orgIds } } : undefined,
    select: { id: true, plan: true, name: true },
    orderBy: { id: "asc" },
  });
  if (orgIds) {
    const found = new Set(orgs.map((o) => o.id));
    const unknown = [...new Set(orgIds)].filter((id) => !found.has(id));
    if (unknown.length) {
      throw new AppError(
        "NOT_FOUND",
        `Unknown organization${unknown.length > 1 ? "s" : ""}: ${unknown.join(", ")}. Pick orgs from the list.`,
      );
    }
    if (orgIds.length === 0)
      throw new AppError("BAD_INPUT", "Choose at least one organization, or all of them.");
  }
  return orgs;
}

export function resolveCategories(keys: RetentionCategory[] | null): Category[] {
  if (keys && keys.length === 0)
    throw new AppError("BAD_INPUT", "Choose at least one category, or all of them.");
  return keys ? [...new Set(keys)].map(categoryOf) : [...CATEGORIES];
}

/** Whether the scope is everything Lethe governs: the widest purge there is. */
export async function coversEverything(db: Db, scope: PurgeScope) {
  if (scope.only) return false;
  const allCategories = !scope.categories || new Set(scope.categories).size === CATEGORIES.length;
  if (!allCategories) return false;
  if (!scope.orgIds) return true;
  return new Set(scope.orgIds).size >= (await db.organization.count());
}
