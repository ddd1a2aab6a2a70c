import { z } from "zod";
import { listOrgs } from "../../console/orgs";
import { Plan } from "../../generated/prisma/enums";
import { router, viewerProcedure } from "../init";
import { orgPage } from "../outputs/orgs";
import { pageRange, paging } from "../schemas";

const listInput = z.object({
  search: z.string().trim().max(100).optional(),
  plan: z.enum(Plan).optional(),
  ...paging,
});

export const orgsRouter = router({
  /** Orgs with their plan, legal-hold state and what they stored at the latest daily snapshot. */
  list: viewerProcedure
    .input(listInput)
    .output(orgPage)
    .query(({ ctx, input }) => listOrgs(ctx.db, { ...input, ...pageRange(input) })),
});
