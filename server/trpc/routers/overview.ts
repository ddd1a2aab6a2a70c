import { purgeStatus, storageOverview } from "../../console/overview";
import { router, viewerProcedure } from "../init";
import * as out from "../outputs/overview";

export const overviewRouter = router({
  storage: viewerProcedure.output(out.storageOverview).query(({ ctx }) => storageOverview(ctx.db)),

  /** The daily purge's health: last run, last success, next run, bytes freed lately, staleness. */
  status: viewerProcedure
    .output(out.purgeStatus)
    .query(({ ctx }) => purgeStatus(ctx.db, new Date())),
});
