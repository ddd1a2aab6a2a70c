import { z } from "zod";
import { splitBacklog } from "../../retention/forecast/backlog";
import { explainItem } from "../../retention/forecast/explain";
import { currentForecast } from "../../retention/forecast/snapshot";
import { dueItemsOf } from "../../retention/forecast/due-items";
import { forecastByDay, upcomingByOrg } from "../../retention/forecast/upcoming";
import { router, viewerProcedure, type Context } from "../init";
import * as out from "../outputs/deletions";
import {
  category,
  forecastFilter,
  horizonDays,
  orgId,
  pageRange,
  paging,
  recordId,
  upcomingInput,
} from "../schemas";

/** The current forecast snapshot (refreshed after the response when stale), and the moment it answers for. */
async function forecastNow(ctx: Context) {
  const engine = await ctx.engine();
  const now = engine.now();
  return { now, forecast: await currentForecast(ctx.db, engine.settings, now, ctx.afterResponse) };
}

export const deletionsRouter = router({
  forecast: viewerProcedure
    .input(forecastFilter)
    .output(out.forecastDays)
    .query(async ({ ctx, input }) => {
      const { forecast, now } = await forecastNow(ctx);
      const { asOf, amendedAt, refreshing } = forecast;
      const { backlog, flow } = splitBacklog(
        await forecastByDay(ctx.db, forecast, input, now),
        now,
      );
      return { asOf, amendedAt, refreshing, backlog, days: flow };
    }),

  list: viewerProcedure
    .input(upcomingInput)
    .output(out.upcomingPage)
    .query(async ({ ctx, input }) => {
      const { forecast, now } = await forecastNow(ctx);
      const page = await upcomingByOrg(ctx.db, forecast, input, now, {
        ...pageRange(input),
        sort: input.sort,
      });
      const { asOf, amendedAt, refreshing } = forecast;
      return { asOf, amendedAt, refreshing, ...page };
    }),

  items: viewerProcedure
    .input(z.object({ orgId, category, horizonDays, ...paging }))
    .output(out.dueItemsPage)
    .query(async ({ ctx, input }) => {
      const engine = await ctx.engine();
      return dueItemsOf(ctx.db, engine.settings, { ...input, ...pageRange(input) }, engine.now());
    }),

  explain: viewerProcedure
    .input(z.object({ category, itemId: recordId("must be an item id") }))
    .output(out.itemExplained)
    .query(async ({ ctx, input }) => {
      const engine = await ctx.engine();
      return explainItem(ctx.db, engine.settings, input.category, input.itemId, engine.now());
    }),
});
