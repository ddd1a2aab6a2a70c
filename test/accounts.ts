import { createUser } from "../server/accounts/users";
import type { Role } from "../server/generated/prisma/enums";
import { createTestDatabase } from "./database";
import { signInWithPassword, throttleOf } from "./sign-in";

/** Who makes changes from the command line. */
export const CLI = { actor: "system", via: "cli" } as const;

/** A database of its own, with a way to add a new user and to sign in by password. */
export async function accountsWorld() {
  const database = await createTestDatabase();
  let serial = 0;
  const fresh = (role: Role = "VIEWER") =>
    createUser(database.db, {
      ...CLI,
      production: false,
      account: { email: `person${++serial}@example.com`, name: `Person ${serial}`, role },
    });
  const signIn = (email: string, password: string) =>
    signInWithPassword(database, { email, password });
  return { database, fresh, signIn, throttle: throttleOf(database) };
}
