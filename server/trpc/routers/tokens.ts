import { z } from "zod";
import { createTokenInput, tokenId } from "../../accounts/inputs";
import { createApiToken, listApiTokens, revokeApiToken } from "../../auth/api-tokens";
import { hasRole } from "../../auth/roles";
import { router, viewerProcedure } from "../init";
import * as out from "../outputs/tokens";

/** API tokens: each user manages their own; admins also see and revoke everyone's. */
export const tokensRouter = router({
  list: viewerProcedure
    .input(z.object({ everyone: z.boolean().default(false) }))
    .output(out.tokenList)
    .query(({ ctx, input }) =>
      listApiTokens(ctx.db, {
        userId: input.everyone && hasRole(ctx.user.role, "ADMIN") ? null : ctx.user.id,
      }),
    ),

  create: viewerProcedure
    .input(createTokenInput)
    .output(out.tokenCreated)
    .mutation(({ ctx, input }) =>
      createApiToken(ctx.db, {
        actor: ctx.user,
        via: "console",
        userId: ctx.user.id,
        token: input,
      }),
    ),

  revoke: viewerProcedure
    .input(z.object({ tokenId }))
    .output(out.tokenRevoked)
    .mutation(({ ctx, input }) =>
      revokeApiToken(ctx.db, {
        actor: ctx.user,
        via: "console",
        tokenId: input.tokenId,
        anyOwner: hasRole(ctx.user.role, "ADMIN"),
      }),
    ),
});
