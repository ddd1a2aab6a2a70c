import { z } from "zod";
import { isDemoEmail } from "../accounts/demo-accounts";
import type { Db } from "../db";
import { standInHash, verifyPassword } from "./password";
import { DEMO_IN_PRODUCTION, lockedCode } from "./sign-in-errors";
import type { SignInThrottle } from "./sign-in-throttle";

const credentials = z.object({
  email: z.string().trim().toLowerCase().email(),
  password: z.string().min(1),
});

/**
 * Checks an email and password against the user table: the user, or null
 * on any mismatch (an unknown email, a wrong password, a disabled account,
 * a user without a password, who signs in only through SSO). Throws
 * `SignInLocked:<seconds>` while the account or the client's address is
 * locked after too many failures, without looking at the password. In
 * production a demo login is refused before anything is looked up: a demo
 * seeded into the database of a running server (which refuses to start
 * with one enabled) must not open it until its restart.
 */
export async function authorizeCredentials(
  deps: { db: Db; throttle: SignInThrottle; production: boolean },
  input: unknown,
  address: string | null,
) {
  const parsed = credentials.safeParse(input);
  if (!parsed.success) return null;
  if (deps.production && isDemoEmail(parsed.data.email)) throw new Error(DEMO_IN_PRODUCTION);
  const attempt = { email: parsed.data.email, address };
  const locked = await deps.throttle.lockedFor(attempt);
  if (locked > 0) throw new Error(lockedCode(locked));
  const user = await deps.db.user.findUnique({ where: { email: parsed.data.email } });
  const ok = await verifyPassword(
    parsed.data.password,
    user?.passwordHash ?? (await standInHash()),
  );
  if (user?.passwordHash && ok && !user.disabledAt) {
    await deps.throttle.succeeded(attempt);
    return { id: String(user.id), email: user.email, name: user.name };
  }
  const lock = await deps.throttle.failed(attempt, user?.id ?? null);
  if (lock > 0) throw new Error(lockedCode(lock));
  return null;
}
