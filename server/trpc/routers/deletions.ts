import { z } from "zod";
import { explainItem } from "../../retention/explain";
import { dueItemsOf, forecastByDay, upcomingByOrg } from "../../retention/forecast";
import { router, viewerProcedure } from "../init";
import { category, forecastFilter, horizonDays, orgId, paging, upcomingInput } from "../schemas";

export const deletionsRouter = router({
  forecast: viewerProcedure.input(forecastFilter).query(async ({ ctx, input }) => {
    const engine = await ctx.engine();
    return forecastByDay(ctx.db, engine.settings, input, engine.now());
  }),

  list: viewerProcedure.input(upcomingInput).query(async ({ ctx, input }) => {
    const engine = await ctx.engine();
    return upcomingByOrg(ctx.db, engine.settings, input, engine.now(), {
      offset: (input.page - 1) * input.pageSize,
      limit: input.pageSize,
      sort: input.sort,
    });
  }),

  items: viewerProcedure
    .input(z.object({ orgId, category, horizonDays, ...paging }))
    .query(async ({ ctx, input }) => {
      const engine = await ctx.engine();
      return dueItemsOf(
        ctx.db,
        engine.settings,
        { ...input, offset: (input.page - 1) * input.pageSize, limit: input.pageSize },
        engine.now(),
      );
    }),

  explain: viewerProcedure
    .input(z.object({ category, itemId: z.number().int().positive() }))
    .query(async ({ ctx, input }) => {
      const engine = await ctx.engine();
      return explainItem(ctx.db, engine.settings, input.category, input.itemId, engine.now());
    }),
});
