import { z } from "zod";
import { AppError } from "../../errors";
import { listPacks, requestPack, signingKey, workPacks } from "../../retention/evidence/pack/packs";
import { keyFingerprint } from "../../retention/evidence/pack/signature";
import { adminProcedure, router } from "../init";
import { evidencePack, evidencePackList, evidenceSigningKey } from "../outputs/evidence";
import { calendarDay, orgId, rangeInOrder } from "../schemas";

export const evidenceRouter = router({
  packs: adminProcedure
    .output(evidencePackList)
    .query(async ({ ctx }) => listPacks(await ctx.engine())),

  /** What an auditor compares with `npm run evidence:verify`'s "signed by key …". */
  signingKey: adminProcedure.output(evidenceSigningKey).query(async ({ ctx }) => {
    try {
      return { fingerprint: keyFingerprint(signingKey(await ctx.engine())), missing: null };
    } catch (error) {
      if (error instanceof AppError) return { fingerprint: null, missing: error.message };
      throw error;
    }
  }),

  /** A small pack is built before the answer; a big one is queued and built after it (or by `npm run worker`). */
  build: adminProcedure
    .input(
      rangeInOrder(
        z.object({ from: calendarDay, to: calendarDay, orgId: orgId.nullable().default(null) }),
      ),
    )
    .output(evidencePack)
    .mutation(async ({ ctx, input }) => {
      const engine = await ctx.engine();
      const { pack, queued } = await requestPack(engine, {
        actor: ctx.user,
        period: { fromDay: input.from, toDay: input.to, orgId: input.orgId },
      });
      if (queued) ctx.afterResponse(() => workPacks(engine));
      return pack;
    }),
});
