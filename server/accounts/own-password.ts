import { hashPassword, verifyPassword } from "../auth/password";
import type { Db } from "../db";
import { AppError } from "../errors";
import { appendAudit } from "../retention/audit";
import { changePasswordInput } from "./inputs";
import { parseOrRefuse } from "./users";

/**
 * A user sets their own password: the current one is asked for, unless the
 * password is a one-time one, which this replaces (and so ends the forced
 * change). An account without a password signs in through single sign-on
 * and gets none here: a stolen session must not turn into a password.
 */
export async function changeOwnPassword(db: Db, input: { userId: number; change: unknown }) {
  const { currentPassword, newPassword } = parseOrRefuse(changePasswordInput, input.change);
  const user = await db.user.findUnique({ where: { id: input.userId } });
  if (!user || user.disabledAt) throw new AppError("UNAUTHORIZED", "Sign in to continue.");
  if (!user.passwordHash)
    throw new AppError(
      "PRECONDITION",
      "Your account signs in through single sign-on and has no password to change.",
    );
  if (!user.mustChangePassword) {
    if (!currentPassword)
      throw new AppError("BAD_INPUT", "Invalid input: currentPassword: is required.");
    if (!(await verifyPassword(currentPassword, user.passwordHash)))
      throw new AppError("BAD_INPUT", "Invalid input: currentPassword: is not your password.");
  }
  if (await verifyPassword(newPassword, user.passwordHash))
    throw new AppError(
      "BAD_INPUT",
      "Invalid input: newPassword: must differ from the password you signed in with.",
    );
  const passwordHash = await hashPassword(newPassword);
  await db.$transaction(async (tx) => {
    await tx.user.update({
      where: { id: user.id },
      data: { passwordHash, mustChangePassword: false },
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
