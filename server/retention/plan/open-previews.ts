import type { Db } from "../../db";
import { AppError } from "../../errors";
import { appendAudit, type Actor } from "../evidence/audit-log";
import type { Engine } from "../deps";
import { lockEach } from "../locks";
import { cleanUpPreviews } from "./preview-cleanup";
import { sql, type Tx } from "../sql";

type Person = Exclude<Actor, "system">;

/** Where the console lists one's open previews, each with Discard. */
const WHERE_TO_DISCARD = "Dry run & purge → Your open previews";

/** "14:05": previews expire within the hour, so the time (UTC) says when. */
const timeOf = (at: Date | null) => `${(at ?? new Date(0)).toISOString().slice(11, 16)} UTC`;

/** Open: being planned, or PREVIEWED and not expired. The cap counts these; each may be cancelled. */
const OPEN_SQL = (now: Date) =>
  sql`(status = 'PLANNING' OR (status = 'PREVIEWED' AND expires_at > ${now}))`;

/**
 * Refuses a new preview beyond the open ones a person, or everyone, may
 * keep: each holds its whole manifest until it expires. Called first in the
 * preview's transaction. A person's previews queue on a lock of their own
 * for that transaction, so their own cap is exact; the overall cap counts
 * committed previews and may be passed by the few being computed at once.
 * The daily schedule ("system") is never refused.
 */
export async function refuseBeyondCap(tx: Tx, engine: Engine, actor: Actor) {
  if (actor === "system") return;
  await lockEach(tx, "previewCap", [actor.id]);
  const [open] = await tx.$queryRaw<
    { mine: number; total: number; my_oldest: Date | null; oldest: Date | null }[]
  >(sql`
    SELECT count(*) FILTER (WHERE created_by_id = ${actor.id})::int AS mine, count(*)::int AS total,
           min(expires_at) FILTER (WHERE created_by_id = ${actor.id}) AS my_oldest,
           min(expires_at) AS oldest
    FROM purge_plans
    WHERE ${OPEN_SQL(engine.now())} AND created_by_id IS NOT NULL`);
  const { maxOpenPreviewsPerUser: perUser, maxOpenPreviews: overall } = engine.settings;
  if (open && open.mine >= perUser) {
    throw new AppError(
      "CONFLICT",
      `You have ${open.mine} open previews, the most one person may keep (PLAN_MAX_OPEN_PER_USER=${perUser}); your oldest expires at ${timeOf(open.my_oldest)}. Discard one you no longer need (${WHERE_TO_DISCARD}), or wait until it expires.`,
      { open: open.mine, oldestExpiresAt: open.my_oldest },
    );
  }
  if (open && open.total >= overall) {
    throw new AppError(
      "CONFLICT",
      `There are ${open.total} open previews, the most Lethe keeps at once (PLAN_MAX_OPEN=${overall}); the oldest expires at ${timeOf(open.oldest)}. Discard one of yours you no longer need (${WHERE_TO_DISCARD}), or wait until one expires.`,
      { open: open.total, oldestExpiresAt: open.oldest },
    );
  }
}

/** A person's open previews, oldest first: what the cap counts, each to discard. */
export async function listOpenPreviews(db: Db, person: Person, now: Date) {
  const plans = await db.purgePlan.findMany({
    where: {
      createdById: person.id,
      OR: [{ status: "PLANNING" }, { status: "PREVIEWED", expiresAt: { gt: now } }],
    },
    select: {
      id: true,
      status: true,
      trigger: true,
      createdAt: true,
      expiresAt: true,
      itemCount: true,
      bytes: true,
      erasureId: true,
    },
    orderBy: { createdAt: "asc" },
  });
  return plans;
}

/**
 * Cancels one's own preview, being planned or open: it can no longer be
 * confirmed, its queued planning steps never run (a step in flight commits
 * first: the plan's row is shared-locked by each step), and its entries,
 * items and steps are deleted at once by the cleanup's bounded deletes
 * (audited as a cleanup; what a minute does not reach, the next cleanup
 * does). Only the person who made it may, or an admin (`anyones`): a dry
 * run someone left planning holds a slot of the cap and the workers' time.
 * The daily run's plan is nobody's to cancel; a confirmed one keeps
 * everything.
 */
export async function cancelPreview(
  engine: Engine,
  input: { actor: Person; planId: string; anyones?: boolean },
) {
  const plan = await engine.db.purgePlan.findUnique({
    where: { id: input.planId },
    select: { id: true, createdById: true, status: true, expiresAt: true },
  });
  if (!plan) throw new AppError("NOT_FOUND", `No preview ${input.planId}.`);
  // Someone else's preview is not among the caller's to discard (a role refusal is a 403).
  const mine = plan.createdById === input.actor.id;
  if (!mine && !(input.anyones && plan.createdById !== null)) {
    throw new AppError(
      "NOT_FOUND",
      `Preview ${plan.id} is not one of yours: only the person who made a preview, or an admin, can discard it. It expires on its own at ${timeOf(plan.expiresAt)}.`,
    );
  }
  await engine.db.$transaction(async (tx) => {
    const [locked] = await tx.$queryRaw<{ status: string; item_count: bigint; trigger: string }[]>(
      sql`SELECT status, item_count, trigger FROM purge_plans WHERE id = ${plan.id} FOR UPDATE`,
    );
    if (locked?.status !== "PREVIEWED" && locked?.status !== "PLANNING") {
      throw new AppError(
        "CONFLICT",
        `Preview ${plan.id} is ${locked?.status.toLowerCase() ?? "gone"}: only an open preview can be discarded${locked?.status === "CONFIRMED" ? " (a confirmed one is its run's evidence)" : ""}.`,
      );
    }
    await tx.purgePlan.update({
      where: { id: plan.id },
      data: { status: "DISCARDED", discardedAt: engine.now(), planKey: null },
    });
    await appendAudit(tx, {
      actor: input.actor,
      action: "purge.discarded",
      target: `plan:${plan.id}`,
      details: {
        trigger: locked.trigger,
        items: locked.item_count,
        ...(locked.status === "PLANNING" ? { planning: true } : {}),
      },
    });
  });
  const steps = await engine.db.planStep.findMany({
    where: { planId: plan.id },
    select: { id: true },
  });
  await engine.queue.drop(
    "step",
    steps.map((s) => s.id),
  );
  const removed = await cleanUpPreviews(engine, {
    deadline: Date.now() + 60_000,
    planIds: [plan.id],
  });
  return { planId: plan.id, itemsRemoved: removed.items };
}
