import { apiCaller, errorResponse, json, problem, refuseCrossSite } from "@/app/api/_lib/http";
import { after } from "next/server";
import { appEngine, workQueueNow } from "@/server/app-engine";
import { confirmPlan } from "@/server/retention/plan/confirm";
import { planView } from "@/server/console/plan-view";
import { cancelPreview } from "@/server/retention/plan/open-previews";
import { previewPurge } from "@/server/retention/plan/preview";
import { orgHoldInForce } from "@/server/retention/policy/holds";
import { AppError } from "@/server/errors";
import { idFromPath } from "@/server/record-id";
import { category } from "@/server/trpc/schemas";
import { z } from "zod";
import type { Engine } from "@/server/retention/deps";

export const dynamic = "force-dynamic";

const body = z
  .object({
    categories: z.array(category).min(1, "choose at least one category").nullable().optional(),
    acknowledgement: z.string().max(200).nullable().optional(),
  })
  .strict();

/**
 * Purge-now for one org (admins, by session or PURGE token): a dry run and its
 * confirmation in one call, through the same plan and run as the console.
 * Answers 202 with the run id; guardrails still need `acknowledgement`; an
 * org under a legal hold of its own is refused. A refused confirmation
 * discards the call's preview.
 */
export async function POST(request: Request, context: { params: Promise<{ orgId: string }> }) {
  const refused = refuseCrossSite(request, { bearerTokens: true });
  if (refused) return refused;
  const caller = await apiCaller(request, "purge");
  if (caller instanceof Response) return caller;
  const { orgId: raw } = await context.params;
  const orgId = idFromPath(raw);
  if (orgId === null) return problem(400, `orgId: "${raw}" is not an organization id.`);
  const text = await request.text();
  let parsed: unknown = {};
  try {
    parsed = text ? JSON.parse(text) : {};
  } catch {
    return problem(400, 'The body is not JSON: send {} or {"categories": ["ARTIFACTS"]}.');
  }
  const input = body.safeParse(parsed);
  if (!input.success) {
    return problem(
      400,
      input.error.issues.map((i) => `${i.path.join(".") || "body"}: ${i.message}`).join("; "),
    );
  }
  let engine: Engine;
  try {
    engine = await appEngine();
  } catch (error) {
    return errorResponse(error);
  }
  let planId: string | null = null;
  try {
    // A hold on the whole org stops every purge of it: refused, rather than run to purge nothing.
    const hold = await orgHoldInForce(engine.db, orgId);
    if (hold)
      throw new AppError(
        "PRECONDITION",
        `${hold.org.name} is under legal hold #${hold.id}: a hold stops every purge of the organization until it is released. Nothing was previewed or deleted.`,
      );
    planId = await previewPurge(engine, {
      scope: { orgIds: [orgId], categories: input.data.categories ?? null },
      trigger: "API",
      actor: caller,
    });
    const plan = await planView(engine.db, planId, { offset: 0, limit: 0 }, engine.now());
    const { runId } = await confirmPlan(engine, {
      planId,
      actor: caller,
      acknowledgement: input.data.acknowledgement ?? null,
    });
    after(() => workQueueNow(engine));
    return json(
      { runId, planId, items: plan.itemCount, bytes: plan.bytes, manifestHash: plan.manifestHash },
      { status: 202 },
    );
  } catch (error) {
    // Refused, the call's preview is nobody's to come back to: kept, it would hold
    // one of the caller's open previews until it expired.
    if (planId)
      await cancelPreview(engine, { actor: caller, planId }).catch((cancelled: unknown) =>
        engine.log.warn({ err: cancelled, planId }, "a refused purge-now kept its preview"),
      );
    return errorResponse(error);
  }
}
