import { randomBytes } from "node:crypto";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { createTestDatabase, type TestDatabase } from "@/test/database";
import { seedUsers } from "@/prisma/seed/users";
import { authorizeCredentials } from "./credentials";
import { hashPassword } from "./password";
import { describeSignInError } from "./sign-in-errors";
import { SignInThrottle } from "./sign-in-throttle";

// An attacker who knows the password of whatever hash a password-less user
// is compared against: the shipped stand-in hash's password is in the
// repository's history for anyone to find or crack.
const attacker = vi.hoisted(() => ({ knowsEveryHash: false }));
vi.mock("./password", async (importOriginal) => {
  const real = await importOriginal<typeof import("./password")>();
  return {
    ...real,
    verifyPassword: (password: string, hash: string) =>
      attacker.knowsEveryHash ? Promise.resolve(true) : real.verifyPassword(password, hash),
  };
});

let database: TestDatabase;
let pool: pg.Pool;
let deps: { db: TestDatabase["db"]; throttle: SignInThrottle; production: boolean };
beforeAll(async () => {
  database = await createTestDatabase();
  pool = new pg.Pool({ connectionString: database.url, max: 2 });
  deps = {
    db: database.db,
    throttle: new SignInThrottle({
      pool,
      db: database.db,
      secret: randomBytes(16).toString("hex"),
    }),
    production: false,
  };
  await database.db.user.createMany({
    data: [
      {
        email: "op@lethe.dev",
        name: "Op",
        role: "OPERATOR",
        passwordHash: await hashPassword("right-password"),
      },
      {
        email: "gone@lethe.dev",
        name: "Gone",
        role: "ADMIN",
        passwordHash: await hashPassword("right-password"),
        disabledAt: new Date(),
      },
      // Signs in through SSO only.
      { email: "sso@lethe.dev", name: "Sso", role: "ADMIN", passwordHash: null },
    ],
  });
});
afterAll(async () => {
  await pool.end();
  await database.drop();
});

const signIn = (email: unknown, password?: unknown) =>
  authorizeCredentials(deps, { email, password }, null);

describe("credentials sign-in", () => {
  it("accepts the right email and password, case-insensitively on the email", async () => {
    expect((await signIn(" OP@lethe.dev ", "right-password"))?.email).toBe("op@lethe.dev");
  });

  it("refuses a wrong password and an unknown email alike, saying nothing about which", async () => {
    expect(await signIn("op@lethe.dev", "wrong")).toBeNull();
    expect(await signIn("nobody@lethe.dev", "right-password")).toBeNull();
  });

  it("refuses a disabled account and malformed input", async () => {
    expect(await signIn("gone@lethe.dev", "right-password")).toBeNull();
    expect(await signIn(42)).toBeNull();
  });

  it("never lets a user without a password in by password, whatever the password compares to", async () => {
    expect(await signIn("sso@lethe.dev", "anything")).toBeNull();
    attacker.knowsEveryHash = true;
    try {
      // In force: every compare now succeeds, so a user with a hash of their own gets in…
      expect((await signIn("op@lethe.dev", "x"))?.email).toBe("op@lethe.dev");
      // …and one without a hash still does not: there is nothing of theirs to match.
      expect(await signIn("sso@lethe.dev", "the stand-in hash's password")).toBeNull();
    } finally {
      attacker.knowsEveryHash = false;
    }
  });
});

describe("a demo login", () => {
  it("signs in outside production; a production server refuses it and still lets other accounts in", async () => {
    await seedUsers(database.db);
    expect((await signIn("admin@lethe.dev", "lethe-admin"))?.email).toBe("admin@lethe.dev");
    deps.production = true;
    try {
      for (const email of ["admin@lethe.dev", "viewer@lethe.dev"]) {
        const refusal = await signIn(email, "lethe-admin").catch((error: Error) => error.message);
        expect(describeSignInError(String(refusal))).toBe(
          "The demo logins, whose passwords are published, cannot sign in to a production server. " +
            "Sign in with your own account (npm run user:create).",
        );
      }
      expect((await signIn("op@lethe.dev", "right-password"))?.email).toBe("op@lethe.dev");
    } finally {
      deps.production = false;
    }
  });
});
