import { randomBytes } from "node:crypto";
import pg from "pg";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
import { createTestDatabase, type TestDatabase } from "@/test/database";
import { authorizeCredentials } from "./credentials";
import { hashPassword } from "./password";
import { describeSignInError } from "./sign-in-errors";
import { ACCOUNT_LOCKS, SignInThrottle, type LockPolicy } from "./sign-in-throttle";

// The throttle's clock is Date.now() (rate-limiter-flexible stores expiry
// times it computed): a faked Date moves time on without any waiting.
const T0 = new Date("2026-11-22T12:00:00Z").getTime();
let now = T0;
const advance = (seconds: number) => vi.setSystemTime((now += seconds * 1000));

const SPRAYER = "203.0.113.7";
/** A small budget per address, so spraying it costs a few bcrypt compares, not fifty. */
const ADDRESSES: LockPolicy = {
  failures: 6,
  windowSeconds: 3600,
  firstLockSeconds: 900,
  longestLockSeconds: 3600,
};

let database: TestDatabase;
let pool: pg.Pool;
let throttle: SignInThrottle;
let opId: number;
beforeAll(async () => {
  database = await createTestDatabase();
  pool = new pg.Pool({ connectionString: database.url, max: 2 });
  throttle = new SignInThrottle({
    pool,
    db: database.db,
    secret: randomBytes(16).toString("hex"),
    addresses: ADDRESSES,
  });
  const passwordHash = await hashPassword("right-password");
  opId = (
    await database.db.user.create({
      data: { email: "op@lethe.dev", name: "Op", role: "OPERATOR", passwordHash },
    })
  ).id;
  await database.db.user.createMany({
    data: ["ann", "bob", "cat"].map((name) => ({
      email: `${name}@lethe.dev`,
      name,
      role: "VIEWER" as const,
      passwordHash,
    })),
  });
});
beforeEach(() => {
  vi.useFakeTimers({ toFake: ["Date"] });
  vi.setSystemTime(now);
});
afterEach(() => vi.useRealTimers());
afterAll(async () => {
  await pool.end();
  await database.drop();
});

/** What the login form would say: the user's email, or its error sentence. */
async function signIn(email: string, password: string, address: string | null = null) {
  try {
    const user = await authorizeCredentials(
      { db: database.db, throttle, production: false },
      { email, password },
      address,
    );
    return user ? user.email : describeSignInError("CredentialsSignin");
  } catch (error) {
    return describeSignInError((error as Error).message);
  }
}

const WRONG = "Email or password is incorrect.";
const lockedFor = (wait: string) => `Too many failed sign-ins. Try again in ${wait}.`;

describe("sign-in throttling per account", () => {
  it("the fifth wrong password in a row locks the account; the right one is refused until the lock lifts", async () => {
    expect(ACCOUNT_LOCKS.failures).toBe(5);
    for (let i = 0; i < 4; i++) expect(await signIn("op@lethe.dev", "guess")).toBe(WRONG);
    expect(await signIn("op@lethe.dev", "guess")).toBe(lockedFor("1 minute"));
    expect(await signIn("op@lethe.dev", "right-password")).toBe(lockedFor("1 minute"));
    advance(30);
    expect(await signIn("op@lethe.dev", "right-password")).toBe(lockedFor("30 seconds"));
    advance(31);
    expect(await signIn("op@lethe.dev", "right-password")).toBe("op@lethe.dev");
  });

  it("the right password starts the count again", async () => {
    for (let i = 0; i < 4; i++) expect(await signIn("ann@lethe.dev", "guess")).toBe(WRONG);
    expect(await signIn("ann@lethe.dev", "right-password")).toBe("ann@lethe.dev");
    for (let i = 0; i < 4; i++) expect(await signIn("ann@lethe.dev", "guess")).toBe(WRONG);
    // Its lockouts start again too: a first lock again.
    expect(await signIn("ann@lethe.dev", "guess")).toBe(lockedFor("1 minute"));
  });

  it("an email nobody has locks exactly like a user's: the lock says nothing about who exists", async () => {
    const answers = [];
    for (let i = 0; i < 6; i++) answers.push(await signIn("nobody@lethe.dev", "guess"));
    expect(answers).toEqual([
      WRONG,
      WRONG,
      WRONG,
      WRONG,
      lockedFor("1 minute"),
      lockedFor("1 minute"),
    ]);
  });

  it("each further lockout doubles the lock, up to an hour", async () => {
    const attempt = { email: "doubling@lethe.dev", address: null };
    const locks = [];
    for (let lockout = 0; lockout < 8; lockout++) {
      let seconds = 0;
      for (let i = 0; i < ACCOUNT_LOCKS.failures; i++)
        seconds = await throttle.failed(attempt, null);
      locks.push(seconds);
      expect(await throttle.lockedFor(attempt)).toBe(seconds);
      advance(seconds);
      expect(await throttle.lockedFor(attempt)).toBe(0);
    }
    expect(locks).toEqual([60, 120, 240, 480, 960, 1920, 3600, 3600]);
  });
});

describe("sign-in throttling per address", () => {
  it("one address cannot spray many accounts: its shared budget locks it, other addresses sign in", async () => {
    const targets = ["bob", "cat", "s1", "s2", "s3", "s4"].map((n) => `${n}@lethe.dev`);
    const answers = [];
    for (const email of targets) answers.push(await signIn(email, "guess", SPRAYER));
    expect(answers).toEqual([...Array<string>(5).fill(WRONG), lockedFor("15 minutes")]);
    // Even the right password of an account nobody guessed at.
    expect(await signIn("bob@lethe.dev", "right-password", SPRAYER)).toBe(lockedFor("15 minutes"));
    expect(await signIn("bob@lethe.dev", "right-password", "198.51.100.1")).toBe("bob@lethe.dev");
    // A success from the address does not give it its budget back.
    advance(15 * 60);
    expect(await signIn("cat@lethe.dev", "right-password", SPRAYER)).toBe("cat@lethe.dev");
    expect(await throttle.lockedFor({ email: "z@lethe.dev", address: SPRAYER })).toBe(0);
  });
});

describe("what a lock leaves behind", () => {
  it("an audit entry per lock with ids only, and counters keyed without the email or address", async () => {
    const locks = await database.db.auditEntry.findMany({
      where: { action: "auth.sign_in_locked" },
      select: { actor: true, target: true, details: true },
      orderBy: { id: "asc" },
    });
    expect(locks.length).toBeGreaterThan(0);
    expect(locks[0]).toMatchObject({
      actor: "system",
      target: `user:${opId}`,
      details: { scope: "account", seconds: 60, lockout: 1 },
    });
    // The unknown email's lock and the address's name no user.
    expect(locks.filter((l) => l.target === null).map((l) => l.details)).toContainEqual({
      scope: "address",
      seconds: 900,
      lockout: 1,
    });
    const stored = JSON.stringify([
      locks,
      await pool.query("SELECT key FROM sign_in_throttle").then((r) => r.rows),
    ]);
    expect(stored).not.toMatch(/@|lethe\.dev|203\.0\.113|198\.51/);
  });
});
