import { z } from "zod";
import { createUserInput, setRoleInput, userId } from "../../accounts/inputs";
import { createUser, listUsers, resetPassword, setDisabled, setRole } from "../../accounts/users";
import { adminProcedure, router } from "../init";
import * as out from "../outputs/users";

const production = () => process.env.NODE_ENV === "production";
const byId = z.object({ userId });

/** Disabling and enabling differ only in the flag they set. */
const disabledProcedure = (disabled: boolean) =>
  adminProcedure
    .input(byId)
    .output(out.account)
    .mutation(({ ctx, input }) =>
      setDisabled(ctx.db, {
        actor: ctx.user,
        via: "console",
        userId: input.userId,
        disabled,
        production: production(),
      }),
    );

/** The console's Users screen: admins add people, set roles, disable and reset. */
export const usersRouter = router({
  list: adminProcedure.output(out.accountList).query(({ ctx }) => listUsers(ctx.db)),

  create: adminProcedure
    .input(createUserInput)
    .output(out.accountCreated)
    .mutation(({ ctx, input }) =>
      createUser(ctx.db, {
        actor: ctx.user,
        via: "console",
        production: production(),
        account: input,
      }),
    ),

  setRole: adminProcedure
    .input(setRoleInput)
    .output(out.account)
    .mutation(({ ctx, input }) => setRole(ctx.db, { actor: ctx.user, via: "console", ...input })),

  disable: disabledProcedure(true),
  enable: disabledProcedure(false),

  resetPassword: adminProcedure
    .input(byId)
    .output(out.passwordReset)
    .mutation(({ ctx, input }) =>
      resetPassword(ctx.db, { actor: ctx.user, via: "console", userId: input.userId }),
    ),
});
