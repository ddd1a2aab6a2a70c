import { seed } from "../prisma/seed";
import { DEMO_USERS } from "../prisma/seed/users";
import { enabledDemoAccounts } from "../server/accounts/demo-accounts";
import { createDb } from "../server/db";

const FIRST_ADMIN = 'npm run user:create -- you@example.com ADMIN --name "Your Name"';

/**
 * The demo (its data and its logins) goes only into the embedded database,
 * or with `--demo` into an empty one (seed refuses any other); a database
 * of DATABASE_URL otherwise gets no user and no data.
 */
export async function seedForDev(options: {
  env: Record<string, string>;
  embedded: boolean;
  argv: string[];
  log?: (line: string) => void;
}) {
  if (options.embedded || options.argv.includes("--demo"))
    await seed({ env: options.env, log: options.log });
}

/** What to sign in with: the demo logins that are there, or how to create the first admin. */
export async function signInHelp(databaseUrl: string, embedded: boolean) {
  const db = createDb(databaseUrl, { maxConnections: 1 });
  try {
    const demo = new Set(await enabledDemoAccounts(db));
    if (demo.size > 0)
      return `  Sign in with (demo logins, published passwords):\n${DEMO_USERS.filter((u) =>
        demo.has(u.email),
      )
        .map((u) => `    ${u.role.padEnd(8)}  ${u.email.padEnd(20)}  password: ${u.password}`)
        .join("\n")}`;
    if ((await db.user.count()) > 0) return "  Sign in with your account.";
    return `  No one can sign in yet. Create the first admin (it asks for a password), in another terminal${
      embedded ? "" : " with the same DATABASE_URL"
    }:\n    ${FIRST_ADMIN}`;
  } finally {
    await db.$disconnect();
  }
}
