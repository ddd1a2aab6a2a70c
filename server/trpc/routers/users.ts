import { z } from "zod";
import { createUserInput, setRoleInput, userId } from "../../accounts/inputs";
import { listUsers, resetPassword, setDisabled, setRole, createUser } from "../../accounts/users";
import { adminProcedure, router } from "../init";

const production = () => process.env.NODE_ENV === "production";
const byId = z.object({ userId });

/** The console's Users screen: admins add people, set roles, disable and reset. */
export const usersRouter = router({
  list: adminProcedure.query(({ ctx }) => listUsers(ctx.db)),

  create: adminProcedure.input(createUserInput).mutation(({ ctx, input }) =>
    createUser(ctx.db, {
      actor: ctx.user,
      via: "console",
      production: production(),
      account: input,
    }),
  ),

  setRole: adminProcedure
    .input(setRoleInput)
    .mutation(({ ctx, input }) => setRole(ctx.db, { actor: ctx.user, via: "console", ...input })),

  disable: adminProcedure.input(byId).mutation(({ ctx, input }) =>
    setDisabled(ctx.db, {
      actor: ctx.user,
      via: "console",
      userId: input.userId,
      disabled: true,
      production: production(),
    }),
  ),

  enable: adminProcedure.input(byId).mutation(({ ctx, input }) =>
    setDisabled(ctx.db, {
      actor: ctx.user,
      via: "console",
      userId: input.userId,
      disabled: false,
      production: production(),
    }),
  ),

  resetPassword: adminProcedure
    .input(byId)
    .mutation(({ ctx, input }) =>
      resetPassword(ctx.db, { actor: ctx.user, via: "console", userId: input.userId }),
    ),
});
