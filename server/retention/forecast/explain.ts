import type { Db } from "../../db";
import { AppError } from "../../errors";
import type { RetentionCategory } from "../../generated/prisma/enums";
import { categoryOf } from "../categories";
import type { BackupEnvironment } from "../policy/defaults";
import type { EngineSettings } from "../deps";
import { addDays, backupKeep, effectiveWindow } from "../policy/effective-window";
import { loadOverrides } from "../policy/org-windows";
import { itemPin, pinText } from "../policy/pin-rules";
import { noticePeriodUntil } from "../notices/period";
import { isoDay } from "../../calendar-day";
import { planDaysIfOverridden, windowRule } from "../plan/reasons";
import { keptItemNow, type KeptItemNow } from "../restore/restorable";

export type Explanation = {
  /** "purged": gone from its live table, into its restore window or past it. */
  status: "eligible" | "scheduled" | "kept" | "purged";
  eligibleAt: Date | null;
  text: string;
};

/** What became of an item a run purged into its restore window. */
function purgedText(kept: KeptItemNow): string {
  const purged = `purged by run ${kept.runId.slice(0, 8)} on ${isoDay(kept.keptAt)}`;
  if (kept.restorable)
    return `${purged}; in its restore window until ${isoDay(kept.restorableUntil)}: an admin can restore it from the run's page until then, final deletion after`;
  if (kept.erased)
    return `${purged}; a GDPR erasure covers it: no longer restorable, its final deletion is pending`;
  return `${purged}; its restore window ended on ${isoDay(kept.restorableUntil)}: no longer restorable, its final deletion is pending`;
}

/**
 * When and why one item will be deleted, or why it is kept; once a run
 * purged it into its restore window, what became of it.
 */
export async function explainItem(
  db: Db,
  settings: EngineSettings,
  key: RetentionCategory,
  itemId: number,
  now: Date,
): Promise<Explanation> {
  const category = categoryOf(key);
  if (category.kind !== "rows")
    throw new AppError(
      "BAD_INPUT",
      "Orphan objects are explained by their key in the purge preview.",
    );
  const facts = await category.facts(db, itemId);
  if (!facts || facts.purged) {
    const kept = await keptItemNow(db, key, itemId, now);
    if (kept) return { status: "purged", eligibleAt: null, text: purgedText(kept) };
  }
  if (!facts)
    throw new AppError(
      "NOT_FOUND",
      `No ${category.label.toLowerCase()} item ${itemId}: it may already be purged.`,
    );
  const org = await db.organization.findUniqueOrThrow({
    where: { id: facts.orgId },
    include: { legalHolds: { where: { scope: "ORG", releasedAt: null }, take: 1 } },
  });
  const kept = (text: string): Explanation => ({
    status: "kept",
    eligibleAt: null,
    text: `kept because: ${text}`,
  });
  const orgHold = org.legalHolds[0];
  if (orgHold) return kept(`legal hold #${orgHold.id} on ${org.name}`);
  if (facts.keptBecause) return kept(facts.keptBecause);
  const pin = await itemPin(db, key, itemId, now);
  if (pin) return kept(pinText(pin));
  if (category.keepsNewest) {
    const env = (
      ["prod", "qa", "dev", "test"].includes(facts.environment ?? "") ? facts.environment : "other"
    ) as BackupEnvironment;
    const keep = backupKeep(settings.policy)[env];
    if ((facts.newerBackups ?? 0) < keep)
      return kept(`within the newest ${keep} backups of environment ${facts.environment}`);
    return {
      status: "eligible",
      eligibleAt: now,
      text: `eligible now: ${facts.newerBackups} newer backups of ${facts.environment}, newest ${keep} kept`,
    };
  }
  const overrides = await loadOverrides(db, [org.id]);
  const window = effectiveWindow(org.plan, key, settings.policy, overrides(org.id, key));
  if (!window) return kept(`the ${org.plan} plan has no ${category.label.toLowerCase()}`);
  if (window.days === null)
    return kept(
      `${window.source === "override" ? "org override" : `${org.plan} plan`}: ${category.label.toLowerCase()} never purged`,
    );
  const rule = windowRule({
    category: key,
    plan: org.plan,
    windowDays: window.days,
    planDays: planDaysIfOverridden(org.plan, key, settings.policy, window),
  });
  if (!facts.agedAt) return kept(`not ${category.agedBy} yet`);
  const byPolicy = addDays(facts.agedAt, window.days);
  const period = await noticePeriodUntil(db, settings.policy, org, key, facts.agedAt, now);
  if (period && period.until > byPolicy && period.until > now)
    return {
      status: "scheduled",
      eligibleAt: period.until,
      text: period.forExport
        ? `waits for the export its notice links to, being built, and no later than ${isoDay(period.until)}: ${rule} (${isoDay(byPolicy)})`
        : `will be eligible on ${isoDay(period.until)}: ${rule} (${isoDay(byPolicy)}), then notice period until ${isoDay(period.until)}${period.told ? ` (told ${isoDay(period.told)})` : " (not told yet)"}`,
    };
  const eligibleAt = byPolicy;
  return eligibleAt.getTime() <= now.getTime()
    ? {
        status: "eligible",
        eligibleAt,
        text: `eligible since ${isoDay(eligibleAt)} because ${rule}`,
      }
    : {
        status: "scheduled",
        eligibleAt,
        text: `will be eligible on ${isoDay(eligibleAt)} because ${rule}`,
      };
}
