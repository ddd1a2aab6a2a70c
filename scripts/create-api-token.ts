import { createApiToken } from "../server/auth/api-tokens";
import { createDb } from "../server/db";
import { parseEnv } from "../server/env";

/** `npm run token:create -- <email> <name>`: prints a new API token for that user, once. */
async function main() {
  const [email, name] = process.argv.slice(2);
  if (!email || !name) throw new Error("Usage: npm run token:create -- <email> <token name>");
  const db = createDb(parseEnv().DATABASE_URL);
  try {
    const user = await db.user.findUnique({ where: { email } });
    if (!user) throw new Error(`No user ${email}`);
    console.log(await createApiToken(db, user.id, name));
  } finally {
    await db.$disconnect();
  }
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
