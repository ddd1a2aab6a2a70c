import { z } from "zod";
import { explainItem } from "../../retention/forecast/explain";
import { dueItemsOf, forecastByDay, upcomingByOrg } from "../../retention/forecast/upcoming";
import { currentForecast } from "../../retention/forecast/snapshot";
import { router, viewerProcedure } from "../init";
import {
  category,
  forecastFilter,
  horizonDays,
  orgId,
  paging,
  recordId,
  upcomingInput,
} from "../schemas";

export const deletionsRouter = router({
  forecast: viewerProcedure.input(forecastFilter).query(async ({ ctx, input }) => {
    const engine = await ctx.engine();
    const now = engine.now();
    const forecast = await currentForecast(ctx.db, engine.settings, now, ctx.afterResponse);
    return {
      asOf: forecast.asOf,
      refreshing: forecast.refreshing,
      days: await forecastByDay(ctx.db, forecast, input, now),
    };
  }),

  list: viewerProcedure.input(upcomingInput).query(async ({ ctx, input }) => {
    const engine = await ctx.engine();
    const now = engine.now();
    const forecast = await currentForecast(ctx.db, engine.settings, now, ctx.afterResponse);
    const page = await upcomingByOrg(ctx.db, forecast, input, now, {
      offset: (input.page - 1) * input.pageSize,
      limit: input.pageSize,
      sort: input.sort,
    });
    return { asOf: forecast.asOf, refreshing: forecast.refreshing, ...page };
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
    .input(z.object({ category, itemId: recordId("must be an item id") }))
    .query(async ({ ctx, input }) => {
      const engine = await ctx.engine();
      return explainItem(ctx.db, engine.settings, input.category, input.itemId, engine.now());
    }),
});
