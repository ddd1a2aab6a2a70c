import { z } from "zod";
import { listPins } from "../../console/pins";
import { changePin, placePin, removePin } from "../../retention/policy/pins";
import { adminProcedure, router, viewerProcedure } from "../init";
import { pin, pinList } from "../outputs/pins";
import { changePinInput, orgId, placePinInput, recordId } from "../schemas";

export const pinsRouter = router({
  list: viewerProcedure
    .input(
      z.object({
        orgId: orgId.optional(),
        incidentId: recordId("must be an incident id").optional(),
        artifactId: recordId("must be an artifact id").optional(),
        inForce: z.boolean().default(true),
      }),
    )
    .output(pinList)
    .query(async ({ ctx, input }) => listPins(ctx.db, input, (await ctx.engine()).now())),

  place: adminProcedure
    .input(placePinInput)
    .output(pin)
    .mutation(async ({ ctx, input }) => {
      const engine = await ctx.engine();
      const target =
        input.scope === "INCIDENT"
          ? { scope: "INCIDENT" as const, incidentId: input.incidentId }
          : { scope: "ARTIFACT" as const, artifactId: input.artifactId };
      return placePin(ctx.db, {
        actor: ctx.user,
        target,
        until: input.until,
        reason: input.reason,
        env: engine.settings.policy,
        now: engine.now(),
      });
    }),

  change: adminProcedure
    .input(changePinInput)
    .output(pin)
    .mutation(async ({ ctx, input }) => {
      const engine = await ctx.engine();
      return changePin(ctx.db, {
        actor: ctx.user,
        pinId: input.pinId,
        until: input.until,
        env: engine.settings.policy,
        now: engine.now(),
      });
    }),

  remove: adminProcedure
    .input(z.object({ pinId: recordId("must be a pin id") }))
    .output(pin)
    .mutation(async ({ ctx, input }) =>
      removePin(ctx.db, { actor: ctx.user, pinId: input.pinId, now: (await ctx.engine()).now() }),
    ),
});
