import { z } from "zod";
import { HISTORY_KIND_KEYS } from "../../console/history-kinds";
import { orgHistory } from "../../console/org-history";
import { listOrgs } from "../../console/orgs";
import { Plan } from "../../generated/prisma/enums";
import { router, viewerProcedure } from "../init";
import { orgHistoryPage } from "../outputs/org-history";
import { orgPage } from "../outputs/orgs";
import { instant, orgId, pageRange, paging, rangeInOrder } from "../schemas";

const listInput = z.object({
  /** One org by its id: a picker showing the org a link chose. */
  id: orgId.optional(),
  search: z.string().trim().max(100).optional(),
  plan: z.enum(Plan).optional(),
  ...paging,
});

const historyInput = rangeInOrder(
  z.object({
    orgId,
    kinds: z
      .array(z.enum(HISTORY_KIND_KEYS, { error: "must be a kind of history entry" }))
      .max(10)
      .optional(),
    from: instant.optional(),
    to: instant.optional(),
    /** The `next` of the page before. */
    after: z.string().max(80).optional(),
    pageSize: z.number().int().min(1).max(100).default(25),
  }),
);

export const orgsRouter = router({
  /** Orgs with their plan, legal-hold state and what they stored at the latest daily snapshot. */
  list: viewerProcedure
    .input(listInput)
    .output(orgPage)
    .query(({ ctx, input }) => listOrgs(ctx.db, { ...input, ...pageRange(input) })),

  /** One org's retention history, newest first, a page at a time. */
  history: viewerProcedure
    .input(historyInput)
    .output(orgHistoryPage)
    .query(async ({ ctx, input }) =>
      orgHistory(ctx.db, { ...input, limit: input.pageSize, now: (await ctx.engine()).now() }),
    ),
});
