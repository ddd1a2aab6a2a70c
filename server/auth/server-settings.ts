import { EnvError, env, type Env } from "../env";

const SECRET_MISSING =
  "NEXTAUTH_SECRET is required: it signs session cookies. Set it to a random string " +
  "(e.g. `openssl rand -base64 32`); npm run dev generates one into .lethe/";
const URL_MISSING =
  "NEXTAUTH_URL is required: the console's public URL (e.g. https://lethe.example.com), " +
  "which sign-in redirects and the Origin of POST requests are checked against";
const CRON_SECRET_MISSING =
  "CRON_SECRET is required in production: the bearer secret of the daily purge's cron route " +
  "(e.g. `openssl rand -base64 32`); without it every delivery is refused and nothing is purged";

/**
 * What the web server needs in every environment, not only in production.
 * Without NEXTAUTH_SECRET, next-auth outside production signs sessions with
 * a hash of its own configuration, which anyone with the source can
 * recompute; NEXTAUTH_URL is the origin the console trusts. npm run dev and
 * the browser tests set both. The worker and the CLIs create no sessions
 * and need neither. A production server also needs CRON_SECRET: the cron
 * route refuses every delivery without it, and the daily purge would stop
 * with nothing but a late alert.
 */
export function webServerProblems(e: Env): string[] {
  return [
    ...(e.NEXTAUTH_SECRET ? [] : [SECRET_MISSING]),
    ...(e.NEXTAUTH_URL ? [] : [URL_MISSING]),
    ...(e.NODE_ENV === "production" && !e.CRON_SECRET ? [CRON_SECRET_MISSING] : []),
  ];
}

/** The secret sessions are signed with; never a fallback. */
export function sessionSecret(e: Env = env()): string {
  if (!e.NEXTAUTH_SECRET) throw new EnvError([SECRET_MISSING]);
  return e.NEXTAUTH_SECRET;
}

/** The console's origin (scheme, host and port of NEXTAUTH_URL). */
export function consoleOrigin(e: Env = env()): string {
  if (!e.NEXTAUTH_URL) throw new EnvError([URL_MISSING]);
  return new URL(e.NEXTAUTH_URL).origin;
}
