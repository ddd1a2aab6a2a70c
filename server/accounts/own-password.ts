import { hashPassword, verifyPassword } from "../auth/password";
import { END_SESSIONS } from "../auth/session-revocation";
import { describeSignInError, lockedCode } from "../auth/sign-in-errors";
import type { SignInThrottle } from "../auth/sign-in-throttle";
import type { Db } from "../db";
import { AppError } from "../errors";
import { appendAudit } from "../retention/evidence/audit-log";
import { changePasswordInput } from "./inputs";
import { parseOrRefuse } from "./users";

/**
 * A user sets their own password, giving the one they have: their own, or
 * the one-time one, which this replaces (ending the forced change). Asking
 * for the one-time password too means a session from before an admin's
 * reset (a stolen one, say) cannot choose the new password. An account
 * without a password signs in through single sign-on and gets none here: a
 * stolen session must not turn into a password either.
 */
export async function changeOwnPassword(
  db: Db,
  input: { userId: number; change: unknown },
  throttle: () => SignInThrottle,
) {
  const { currentPassword, newPassword } = parseOrRefuse(changePasswordInput, input.change);
  const user = await db.user.findUnique({ where: { id: input.userId } });
  if (!user || user.disabledAt) throw new AppError("UNAUTHORIZED", "Sign in to continue.");
  if (!user.passwordHash)
    throw new AppError(
      "PRECONDITION",
      "Your account signs in through single sign-on and has no password to change.",
    );
  // A wrong current password is a failed sign-in of the account: a session
  // (a stolen one, say) gets no more guesses here than the login form gives.
  const attempt = { email: user.email, address: null };
  const limits = throttle();
  const locked = await limits.lockedFor(attempt);
  if (locked > 0) throw new AppError("CONFLICT", describeSignInError(lockedCode(locked)));
  if (!(await verifyPassword(currentPassword, user.passwordHash))) {
    const lock = await limits.failed(attempt, user.id);
    if (lock > 0) throw new AppError("CONFLICT", describeSignInError(lockedCode(lock)));
    throw new AppError(
      "BAD_INPUT",
      user.mustChangePassword
        ? "Invalid input: currentPassword: is not the one-time password you were given."
        : "Invalid input: currentPassword: is not your password.",
    );
  }
  await limits.succeeded(attempt);
  if (newPassword === currentPassword)
    throw new AppError(
      "BAD_INPUT",
      "Invalid input: newPassword: must differ from the password you signed in with.",
    );
  const passwordHash = await hashPassword(newPassword);
  await db.$transaction(async (tx) => {
    await tx.user.update({
      where: { id: user.id },
      // Every other session ends; the console signs this one in again with the new password.
      data: { passwordHash, mustChangePassword: false, ...END_SESSIONS },
    });
    await appendAudit(tx, {
      actor: { id: user.id },
      action: "user.password_changed",
      target: `user:${user.id}`,
      details: { wasOneTime: user.mustChangePassword },
    });
  });
  return { changed: true };
}
