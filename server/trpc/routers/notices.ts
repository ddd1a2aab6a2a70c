import { z } from "zod";
import { noticeLog } from "../../console/notices";
import {
  readNoticeSettings,
  rotateNoticeSecret,
  saveNoticeSettings,
} from "../../retention/notices/settings";
import { hasRole } from "../../auth/roles";
import { adminProcedure, router, viewerProcedure } from "../init";
import * as out from "../outputs/notices";
import { orgId, paging } from "../schemas";
import { noticeSettingsInput } from "../tenant-schemas";

/** How an org hears before its items fall due: its settings (ADMIN to change) and its delivery log. */
export const noticesRouter = router({
  /**
   * A webhook URL's path and query often carry the receiver's own token, so
   * only an admin reads it whole; others see where it points.
   */
  settings: viewerProcedure
    .input(z.object({ orgId }))
    .output(out.noticeSettings)
    .query(async ({ ctx, input }) => {
      const settings = await readNoticeSettings(ctx.db, input.orgId);
      if (hasRole(ctx.user.role, "ADMIN") || !settings.webhookUrl) return settings;
      return { ...settings, webhookUrl: `${new URL(settings.webhookUrl).origin}/…` };
    }),

  /** A new webhook gets its signing secret here, shown this once. */
  save: adminProcedure
    .input(noticeSettingsInput)
    .output(out.savedNoticeSettings)
    .mutation(async ({ ctx, input }) => saveNoticeSettings(await ctx.engine(), ctx.user, input)),

  rotateSecret: adminProcedure
    .input(z.object({ orgId }))
    .output(out.rotatedSecret)
    .mutation(async ({ ctx, input }) =>
      rotateNoticeSecret(await ctx.engine(), ctx.user, input.orgId),
    ),

  log: viewerProcedure
    .input(z.object({ orgId, ...paging }))
    .output(out.noticeLog)
    .query(({ ctx, input }) => noticeLog(ctx.db, input)),
});
