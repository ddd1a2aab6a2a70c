import { changePasswordInput } from "../../accounts/inputs";
import { changeOwnPassword } from "../../accounts/own-password";
import { choosePasswordProcedure, router } from "../init";

/** What every signed-in user does to their own account. */
export const accountRouter = router({
  changePassword: choosePasswordProcedure
    .input(changePasswordInput)
    .mutation(({ ctx, input }) =>
      changeOwnPassword(ctx.db, { userId: ctx.user.id, change: input }),
    ),
});
