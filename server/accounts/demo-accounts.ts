import { DEMO_USERS } from "../../prisma/seed/users";
import type { Db } from "../db";
import { AppError } from "../errors";

/** The demo logins, whose passwords are published in the README. */
export const DEMO_EMAILS: readonly string[] = DEMO_USERS.map((u) => u.email);

export const isDemoEmail = (email: string) => DEMO_EMAILS.includes(email.trim().toLowerCase());

/** Refuses, in production, to create or re-enable an account anyone can sign in to. */
export function refuseDemoEmailInProduction(email: string, production: boolean) {
  if (production && isDemoEmail(email))
    throw new AppError(
      "BAD_INPUT",
      `${email} is a demo account whose password is published; in production use a real address.`,
    );
}

/** The demo accounts that can still sign in, by email. */
export async function enabledDemoAccounts(db: Db): Promise<string[]> {
  const users = await db.user.findMany({
    where: { email: { in: [...DEMO_EMAILS] }, disabledAt: null },
    select: { email: true },
    orderBy: { email: "asc" },
  });
  return users.map((u) => u.email);
}

/**
 * A production server or worker must not start while anyone can sign in
 * with a published password: one problem per such account, with its fix;
 * first, when only the demo's admins govern, how to create a real one (the
 * last active admin cannot be disabled).
 */
export async function demoAccountProblems({ db }: { db: Db }): Promise<string[]> {
  const demo = await enabledDemoAccounts(db);
  if (demo.length === 0) return [];
  const realAdmins = await db.user.count({
    where: { role: "ADMIN", disabledAt: null, email: { notIn: [...DEMO_EMAILS] } },
  });
  return [
    ...(realAdmins === 0
      ? [
          "no admin but the demo's: first create your own with `npm run user:create -- you@example.com ADMIN`",
        ]
      : []),
    ...demo.map(
      (email) =>
        `the demo account ${email} is enabled and its password is published: disable it with \`npm run user:disable -- ${email}\``,
    ),
  ];
}
