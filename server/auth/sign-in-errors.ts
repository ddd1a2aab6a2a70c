/**
 * Why a sign-in was refused, as the code next-auth carries to the login form
 * (the `error` of its redirect) and the sentence the form shows. None of
 * them says whether a Lethe account exists for the address.
 */

/** The provider did not assert that the address is verified (first external sign-in). */
export const UNVERIFIED_ADDRESS = "UnverifiedAddress";

/** A demo login (its password is in the README) at a production server: refused for any such address, existing or not. */
export const DEMO_IN_PRODUCTION = "DemoLoginInProduction";

const LOCKED_PREFIX = "SignInLocked:";

/** Too many failed sign-ins: the code carries the seconds until the next try. */
export const lockedCode = (seconds: number) => `${LOCKED_PREFIX}${Math.max(1, Math.ceil(seconds))}`;

function waitText(seconds: number) {
  if (seconds < 60) return seconds === 1 ? "1 second" : `${seconds} seconds`;
  const minutes = Math.ceil(seconds / 60);
  return minutes === 1 ? "1 minute" : `${minutes} minutes`;
}

/** The login form's sentence for a next-auth error code. */
export function describeSignInError(code: string): string {
  if (code === "CredentialsSignin") return "Email or password is incorrect.";
  if (code.startsWith(LOCKED_PREFIX)) {
    const seconds = Number(code.slice(LOCKED_PREFIX.length));
    if (Number.isInteger(seconds) && seconds > 0)
      return `Too many failed sign-ins. Try again in ${waitText(seconds)}.`;
  }
  if (code === UNVERIFIED_ADDRESS)
    return (
      "Your identity provider did not confirm that your email address is verified. " +
      "Verify it there (on GitHub: your primary address), then try again."
    );
  if (code === DEMO_IN_PRODUCTION)
    return (
      "The demo logins, whose passwords are published, cannot sign in to a production server. " +
      "Sign in with your own account (npm run user:create)."
    );
  if (code === "AccessDenied")
    return (
      "No enabled Lethe account is linked to this sign-in. Ask an admin to add you, " +
      "or continue with the account you used before."
    );
  return "Sign-in failed. Try again.";
}
