import { z } from "zod";
import { clearOverride, setOverride } from "../../retention/policy/overrides";
import { policyTable } from "../../console/policy-table";
import { overrideBounds } from "../../retention/policy/effective-window";
import { whatIf } from "../../retention/policy/what-if";
import { adminProcedure, router, viewerProcedure } from "../init";
import { clearOverrideInput, orgId, setOverrideInput, whatIfInput } from "../schemas";

export const policiesRouter = router({
  table: viewerProcedure.query(async ({ ctx }) => policyTable((await ctx.engine()).settings)),

  overrides: viewerProcedure.query(async ({ ctx }) => {
    const { settings } = await ctx.engine();
    const rows = await ctx.db.retentionOverride.findMany({
      include: { org: { select: { name: true, plan: true } } },
      orderBy: [{ orgId: "asc" }, { category: "asc" }],
    });
    return rows.map((r) => ({
      orgId: r.orgId,
      orgName: r.org.name,
      plan: r.org.plan,
      category: r.category,
      days: r.days,
      reason: r.reason,
      updatedAt: r.updatedAt,
      bounds: overrideBounds(r.org.plan, r.category, settings.policy),
    }));
  }),

  /** The floor and ceiling an org's override of a category must respect. */
  bounds: viewerProcedure.input(z.object({ orgId })).query(async ({ ctx, input }) => {
    const { settings } = await ctx.engine();
    const org = await ctx.db.organization.findUniqueOrThrow({
      where: { id: input.orgId },
      select: { plan: true },
    });
    return policyTable(settings).categories.map((c) => ({
      category: c.category,
      bounds: overrideBounds(org.plan, c.category, settings.policy),
    }));
  }),

  whatIf: viewerProcedure.input(whatIfInput).query(async ({ ctx, input }) => {
    const engine = await ctx.engine();
    return whatIf(ctx.db, engine.settings, input, engine.now());
  }),

  setOverride: adminProcedure
    .input(setOverrideInput)
    .mutation(async ({ ctx, input }) =>
      setOverride(ctx.db, (await ctx.engine()).settings, { actor: ctx.user, ...input }),
    ),

  clearOverride: adminProcedure
    .input(clearOverrideInput)
    .mutation(({ ctx, input }) => clearOverride(ctx.db, { actor: ctx.user, ...input })),
});
