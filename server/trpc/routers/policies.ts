import { z } from "zod";
import { listOverrides, orgOverrideBounds, policyTable } from "../../console/policy-table";
import { clearOverride, setOverride } from "../../retention/policy/overrides";
import { whatIf } from "../../retention/policy/what-if";
import { adminProcedure, router, viewerProcedure } from "../init";
import { nothing } from "../outputs/common";
import * as out from "../outputs/policies";
import { clearOverrideInput, orgId, setOverrideInput, whatIfInput } from "../schemas";

export const policiesRouter = router({
  table: viewerProcedure
    .output(out.policyTable)
    .query(async ({ ctx }) => policyTable((await ctx.engine()).settings)),

  overrides: viewerProcedure
    .output(out.overrideList)
    .query(async ({ ctx }) => listOverrides(ctx.db, (await ctx.engine()).settings)),

  /** The floor and ceiling an org's override of a category must respect. */
  bounds: viewerProcedure
    .input(z.object({ orgId }))
    .output(out.orgBounds)
    .query(async ({ ctx, input }) =>
      orgOverrideBounds(ctx.db, (await ctx.engine()).settings, input.orgId),
    ),

  whatIf: viewerProcedure
    .input(whatIfInput)
    .output(out.whatIfAnswer)
    .query(async ({ ctx, input }) => {
      const engine = await ctx.engine();
      return whatIf(ctx.db, engine.settings, input, engine.now());
    }),

  setOverride: adminProcedure
    .input(setOverrideInput)
    .output(out.override)
    .mutation(async ({ ctx, input }) =>
      setOverride(ctx.db, (await ctx.engine()).settings, { actor: ctx.user, ...input }),
    ),

  clearOverride: adminProcedure
    .input(clearOverrideInput)
    .output(nothing)
    .mutation(({ ctx, input }) => clearOverride(ctx.db, { actor: ctx.user, ...input })),
});
