import { changePasswordInput } from "../../accounts/inputs";
import { changeOwnPassword } from "../../accounts/own-password";
import { signInThrottle } from "../../auth/sign-in-throttle";
import { choosePasswordProcedure, router } from "../init";
import { passwordChanged } from "../outputs/account";

/** What every signed-in user does to their own account. */
export const accountRouter = router({
  changePassword: choosePasswordProcedure
    .input(changePasswordInput)
    .output(passwordChanged)
    .mutation(({ ctx, input }) =>
      changeOwnPassword(ctx.db, { userId: ctx.user.id, change: input }, signInThrottle),
    ),
});
