import type { Db } from "../../db";
import { AppError } from "../../errors";
import type { RetentionCategory } from "../../generated/prisma/enums";
import { appendAudit, type Actor } from "../evidence/audit-log";
import type { EngineSettings } from "../deps";
import { overrideProblem } from "./effective-window";
import { markDirty, overridePairs } from "../forecast/dirty-pairs";

type Admin = Exclude<Actor, "system">;

/** Sets an org's window for a category, inside the plan's floor and ceiling. Audited. */
export async function setOverride(
  db: Db,
  settings: EngineSettings,
  input: {
    actor: Admin;
    orgId: number;
    category: RetentionCategory;
    days: number | null;
    reason: string;
  },
) {
  const org = await db.organization.findUnique({ where: { id: input.orgId } });
  if (!org) throw new AppError("NOT_FOUND", `No organization ${input.orgId}.`);
  const problem = overrideProblem(org.plan, input.category, input.days, settings.policy);
  if (problem) throw new AppError("BAD_INPUT", problem, { field: "days" });
  const reason = input.reason.trim();
  if (reason.length < 3)
    throw new AppError("BAD_INPUT", "An override needs a reason (at least 3 characters).", {
      field: "reason",
    });
  return db.$transaction(async (tx) => {
    const before = await tx.retentionOverride.findUnique({
      where: { orgId_category: { orgId: org.id, category: input.category } },
    });
    const saved = await tx.retentionOverride.upsert({
      where: { orgId_category: { orgId: org.id, category: input.category } },
      create: {
        orgId: org.id,
        category: input.category,
        days: input.days,
        reason,
        setById: input.actor.id,
      },
      update: { days: input.days, reason, setById: input.actor.id },
    });
    await markDirty(tx, overridePairs(org.id, input.category));
    await appendAudit(tx, {
      actor: input.actor,
      action: "policy.override.set",
      orgId: org.id,
      target: `override:${org.id}:${input.category}`,
      details: {
        category: input.category,
        from: before ? (before.days ?? "unlimited") : "plan",
        to: input.days ?? "unlimited",
      },
    });
    return saved;
  });
}

export async function clearOverride(
  db: Db,
  input: { actor: Admin; orgId: number; category: RetentionCategory },
) {
  return db.$transaction(async (tx) => {
    const existing = await tx.retentionOverride.findUnique({
      where: { orgId_category: { orgId: input.orgId, category: input.category } },
    });
    if (!existing)
      throw new AppError(
        "NOT_FOUND",
        `Organization ${input.orgId} has no override for ${input.category}.`,
      );
    await tx.retentionOverride.delete({ where: { id: existing.id } });
    await markDirty(tx, overridePairs(input.orgId, input.category));
    await appendAudit(tx, {
      actor: input.actor,
      action: "policy.override.cleared",
      orgId: input.orgId,
      target: `override:${input.orgId}:${input.category}`,
      details: { category: input.category, was: existing.days ?? "unlimited" },
    });
  });
}
