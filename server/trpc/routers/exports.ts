import { z } from "zod";
import { listExports, requestExport, workExports } from "../../retention/exports/exports";
import { exportableCategories } from "../../retention/exports/due";
import { exportLink } from "../../retention/exports/link";
import { adminProcedure, router } from "../init";
import { exportLinkOutput, exportList } from "../outputs/exports";
import { orgId, recordId } from "../schemas";
import { exportRequestInput } from "../tenant-schemas";

/**
 * Exports before deletion: ADMIN only, to request, to list and to download,
 * as an export holds the org's data itself (rows, payloads, files).
 */
export const exportsRouter = router({
  categories: adminProcedure.output(z.array(z.string())).query(() => exportableCategories()),

  list: adminProcedure
    .input(z.object({ orgId }))
    .output(exportList)
    .query(async ({ ctx, input }) => listExports(await ctx.engine(), input.orgId)),

  /** Queued, then built after the answer (or by `npm run worker`). */
  request: adminProcedure
    .input(exportRequestInput)
    .output(z.strictObject({ id: z.number() }))
    .mutation(async ({ ctx, input }) => {
      const engine = await ctx.engine();
      const created = await requestExport(engine, { ...input, requestedBy: ctx.user });
      ctx.afterResponse(() => workExports(engine));
      return created;
    }),

  /** The export's signed download link, as a notice would carry it. */
  link: adminProcedure
    .input(z.object({ exportId: recordId("must be an export id") }))
    .output(exportLinkOutput)
    .query(async ({ ctx, input }) => exportLink(await ctx.engine(), input.exportId)),
});
