import { randomBytes } from "node:crypto";
import pg from "pg";
import { authorizeCredentials } from "../server/auth/credentials";
import { SignInThrottle } from "../server/auth/sign-in-throttle";
import type { TestDatabase } from "./database";

/** A password sign-in as the login form makes it (throttled, from no known address). */
export async function signInWithPassword(
  database: TestDatabase,
  input: { email: string; password: string },
) {
  const pool = new pg.Pool({ connectionString: database.url, max: 1 });
  try {
    const throttle = new SignInThrottle({
      pool,
      db: database.db,
      secret: randomBytes(16).toString("hex"),
    });
    return await authorizeCredentials(
      { db: database.db, throttle, production: false },
      input,
      null,
    );
  } finally {
    await pool.end();
  }
}

/** A sign-in throttle of its own on the test's database, for what counts failed passwords. */
export function throttleOf(database: TestDatabase) {
  const pool = new pg.Pool({ connectionString: database.url, max: 1, allowExitOnIdle: true });
  // Its idle connection ends when the test drops the database.
  pool.on("error", () => {});
  const throttle = new SignInThrottle({
    pool,
    db: database.db,
    secret: randomBytes(16).toString("hex"),
  });
  return () => throttle;
}
